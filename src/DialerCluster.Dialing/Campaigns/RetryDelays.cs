namespace DialerCluster.Dialing.Campaigns;

/// <summary>How long to wait before redialing, per unsuccessful outcome.</summary>
[GenerateSerializer]
[Immutable]
public sealed record RetryDelays(TimeSpan NoAnswer, TimeSpan Busy, TimeSpan Voicemail, TimeSpan Failed)
{
    /// <summary>Busy lines clear fast; an unanswered or machine-answered contact is tried later in the day.</summary>
    public static RetryDelays Default { get; } = new(
        NoAnswer: TimeSpan.FromHours(2),
        Busy: TimeSpan.FromMinutes(15),
        Voicemail: TimeSpan.FromHours(4),
        Failed: TimeSpan.FromHours(1));

    /// <summary>The shortest wait this campaign ever puts between two attempts on one case.</summary>
    public TimeSpan Shortest => new[] { NoAnswer, Busy, Voicemail, Failed }.Min();

    /// <summary>The delay for an outcome that is retried; null for talked and abandoned (see <see cref="RetryPolicy"/>).</summary>
    public TimeSpan? For(CallOutcome outcome) => outcome switch
    {
        CallOutcome.NoAnswer => NoAnswer,
        CallOutcome.Busy => Busy,
        CallOutcome.Voicemail => Voicemail,
        CallOutcome.Failed => Failed,
        _ => null,
    };
}
