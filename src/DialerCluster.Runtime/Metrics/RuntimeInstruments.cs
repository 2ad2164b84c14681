namespace DialerCluster.Runtime;

/// <summary>
/// Names of the runtime's System.Diagnostics.Metrics instruments. The Prometheus exposition turns
/// dots into underscores, appends the unit (<c>_seconds</c>) and <c>_total</c> for counters:
/// dialercluster_grain_calls_total, dialercluster_grain_call_duration_seconds,
/// dialercluster_grain_activations, dialercluster_grain_mailbox_length.
/// </summary>
public static class RuntimeInstruments
{
    public const string MeterName = "DialerCluster.Runtime";
    public const string Calls = "dialercluster.grain.calls";
    public const string CallDuration = "dialercluster.grain.call.duration";
    public const string Activations = "dialercluster.grain.activations";
    public const string MailboxLength = "dialercluster.grain.mailbox.length";

    /// <summary>Tag on calls and durations: the grain type name.</summary>
    public const string GrainTypeTag = "grain_type";

    /// <summary>Tag on calls: ok, error, or canceled (a queued call whose caller gave up before it ran).</summary>
    public const string OutcomeTag = "outcome";
}
