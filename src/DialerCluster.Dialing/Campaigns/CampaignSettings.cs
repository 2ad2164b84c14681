using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Campaigns;

/// <summary>
/// What a supervisor sets on a campaign. Construct with the defaults and override what differs;
/// <see cref="Validate"/> before storing (the API turns its errors into a 422 naming each field).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CampaignSettings
{
    /// <summary>US FCC 47 CFR 64.1200(a)(7) and UK Ofcom both cap abandoned calls at 3% of answered calls.</summary>
    public const double LegalAbandonRateCap = 0.03;

    public const int NameMaxLength = 200;
    public const int MaxAttemptsLimit = 100;
    public const int LinesPerAgentLimit = 10;
    public static readonly TimeSpan LongestDelay = TimeSpan.FromDays(30);
    public static readonly TimeSpan LongestHoldTimeout = TimeSpan.FromHours(8);

    [Id(0)]
    public required string Name { get; init; }

    [Id(1)]
    public DialMode DialMode { get; init; } = DialMode.Preview;

    /// <summary>Applied in each contact's own time zone.</summary>
    [Id(2)]
    public CallingWindow CallingWindow { get; init; } = CallingWindow.Default;

    /// <summary>Dial attempts per case; a case that reached it is never offered again.</summary>
    [Id(3)]
    public int MaxAttempts { get; init; } = 5;

    [Id(4)]
    public RetryDelays RetryDelays { get; init; } = RetryDelays.Default;

    /// <summary>
    /// How long an agent may hold a case (preview, call and wrap-up) before it goes back to the queue.
    /// Generous because a sales call can run long; the grain renews the hold while the call is live.
    /// </summary>
    [Id(5)]
    public TimeSpan HoldTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an owner must be away (offline or on break) before others may take their due callbacks.</summary>
    [Id(6)]
    public TimeSpan OwnerFallback { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Lines dialed per ready agent in power mode.</summary>
    [Id(7)]
    public int LinesPerAgent { get; init; } = 2;

    /// <summary>Share of answered calls the predictive pacer may abandon; at most the legal 3%.</summary>
    [Id(8)]
    public double TargetAbandonRate { get; init; } = LegalAbandonRateCap;

    /// <summary>Every problem at once, each naming the field as the API spells it.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new("name", "is required"));
        }
        else if (Name.Length > NameMaxLength)
        {
            errors.Add(new("name", $"must be at most {NameMaxLength} characters"));
        }

        if (!Enum.IsDefined(DialMode))
        {
            errors.Add(new("dialMode", $"must be one of {string.Join(", ", DialModeWire.All)}"));
        }

        if (CallingWindow.Start >= CallingWindow.End)
        {
            errors.Add(new(
                "callingWindow",
                $"start {CallingWindow.Start:HH\\:mm} must be before end {CallingWindow.End:HH\\:mm} (windows across midnight are not allowed)"));
        }

        if (MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            errors.Add(new("maxAttempts", $"must be between 1 and {MaxAttemptsLimit}"));
        }

        if (RetryDelays is null)
        {
            errors.Add(new("retryDelays", "is required"));
        }
        else
        {
            CheckDelay(errors, "retryDelays.noAnswer", RetryDelays.NoAnswer);
            CheckDelay(errors, "retryDelays.busy", RetryDelays.Busy);
            CheckDelay(errors, "retryDelays.voicemail", RetryDelays.Voicemail);
            CheckDelay(errors, "retryDelays.failed", RetryDelays.Failed);
        }

        if (HoldTimeout <= TimeSpan.Zero || HoldTimeout > LongestHoldTimeout)
        {
            errors.Add(new("holdTimeout", $"must be more than zero and at most {LongestHoldTimeout.TotalHours:0} hours"));
        }

        if (OwnerFallback < TimeSpan.Zero || OwnerFallback > LongestDelay)
        {
            errors.Add(new("ownerFallback", $"must be between zero and {LongestDelay.TotalDays:0} days"));
        }

        if (LinesPerAgent is < 1 or > LinesPerAgentLimit)
        {
            errors.Add(new("linesPerAgent", $"must be between 1 and {LinesPerAgentLimit}"));
        }

        // NaN fails both comparisons, so it is refused too.
        if (!(TargetAbandonRate > 0 && TargetAbandonRate <= LegalAbandonRateCap))
        {
            errors.Add(new(
                "targetAbandonRate",
                $"must be more than 0 and at most {LegalAbandonRateCap} (the legal cap: 3% of answered calls)"));
        }

        return errors;
    }

    private static void CheckDelay(List<FieldError> errors, string field, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero || delay > LongestDelay)
        {
            errors.Add(new(field, $"must be more than zero and at most {LongestDelay.TotalDays:0} days"));
        }
    }
}
