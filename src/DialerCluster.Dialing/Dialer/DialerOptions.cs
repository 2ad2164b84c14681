namespace DialerCluster.Dialing.Dialer;

/// <summary>Node-wide settings of the dialing engine (the campaign's own settings decide mode, retries and abandon target).</summary>
public sealed record DialerOptions
{
    /// <summary>
    /// How often a dialing campaign paces and checks its answered calls. 300 ms keeps an answered call's wait for an
    /// agent well inside the 2 s abandon rule while costing a campaign about three short turns a second.
    /// </summary>
    public TimeSpan PacingInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Shown to the called person (47 CFR 64.1601(e): caller id is mandatory on telemarketing calls).</summary>
    public string CallerId { get; init; } = "+15550100000";

    /// <summary>At least 15 s (47 CFR 64.1200(a)(6)); 25 s is a common carrier default.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Outstanding dials per logged-in agent the pacer may use at most (trunk protection).</summary>
    public double MaxLinesPerAgent { get; init; } = Pacing.PacingPolicy.DefaultMaxLinesPerAgent;
}
