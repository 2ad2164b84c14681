using DialerCluster.Dialing.Telephony;

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

    /// <summary>
    /// A call an earlier activation of a campaign placed (its node died, or was cut off and replaced) has an outcome the
    /// new activation cannot know: its case is not dialed again for this long, counted from the new activation. A call
    /// can ring no longer than <see cref="RingTimeout"/>; the two minutes cover the carrier's own give-up and tear-down.
    /// </summary>
    public TimeSpan OutcomeUnknownQuarantine => RingTimeout + TimeSpan.FromMinutes(2);

    public static readonly TimeSpan ShortestPacingInterval = TimeSpan.FromMilliseconds(50);

    // An answered call waits for an agent at most 2 s before it is abandoned; pacing less often than that lets it.
    public static readonly TimeSpan LongestPacingInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestRingTimeout = TimeSpan.FromMinutes(2);

    public const double MostLinesPerAgent = 10;

    /// <summary>Every setting that is out of range, as (setting, reason); empty when all hold.</summary>
    public IReadOnlyList<(string Setting, string Reason)> Validate()
    {
        var errors = new List<(string, string)>();
        if (PacingInterval < ShortestPacingInterval || PacingInterval > LongestPacingInterval)
        {
            errors.Add((nameof(PacingInterval), $"must be between {ShortestPacingInterval.TotalMilliseconds} and {LongestPacingInterval.TotalMilliseconds} ms, not {PacingInterval.TotalMilliseconds} ms"));
        }

        // The gateway's own rule: every originate carries it, so a bad one must stop the start-up, not every dial.
        if (!PhoneNumber.IsE164(CallerId))
        {
            errors.Add((nameof(CallerId), $"must be an E.164 number (+ then 2 to 15 digits, no leading 0), not '{CallerId}'"));
        }

        if (RingTimeout < OriginateRequest.MinimumRingTimeout || RingTimeout > LongestRingTimeout)
        {
            errors.Add((nameof(RingTimeout), $"must be between {OriginateRequest.MinimumRingTimeout.TotalSeconds} s (47 CFR 64.1200(a)(6)) and {LongestRingTimeout.TotalSeconds} s, not {RingTimeout.TotalSeconds} s"));
        }

        if (!(MaxLinesPerAgent >= 1 && MaxLinesPerAgent <= MostLinesPerAgent))
        {
            errors.Add((nameof(MaxLinesPerAgent), $"must be between 1 and {MostLinesPerAgent}, not {MaxLinesPerAgent}"));
        }

        return errors;
    }
}
