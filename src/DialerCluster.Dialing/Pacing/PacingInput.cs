namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// Everything one pacing decision looks at: the campaign's policy and a snapshot of its live state.
/// A readonly struct passed by reference so the pacing loop allocates nothing.
/// </summary>
public readonly record struct PacingInput
{
    public PacingPolicy Policy { get; init; }

    public int AgentsLoggedIn { get; init; }

    /// <summary>Agents idle and waiting for a call.</summary>
    public int AgentsReady { get; init; }

    /// <summary>Expected number of talking or wrapping-up agents that will be free within the dial horizon
    /// (see <see cref="AgentAvailabilityForecast"/>).</summary>
    public double AgentsExpectedFree { get; init; }

    /// <summary>Variance of that number (sum of p(1-p) over the busy agents).</summary>
    public double AgentsExpectedFreeVariance { get; init; }

    /// <summary>Calls dialed and not yet answered or ended.</summary>
    public int CallsInFlight { get; init; }

    /// <summary>Expected person-answers among <see cref="CallsInFlight"/> (see <see cref="InFlightForecast"/>);
    /// null: every call in flight counts at <see cref="AnswerRate"/>.</summary>
    public double? ExpectedAnswersInFlight { get; init; }

    /// <summary>Variance of <see cref="ExpectedAnswersInFlight"/>; ignored when that is null.</summary>
    public double ExpectedAnswersInFlightVariance { get; init; }

    /// <summary>Calls answered by a person and not yet connected to an agent: each will take the next free agent.</summary>
    public int CallsAwaitingAgent { get; init; }

    /// <summary>Probability that a dialed call is answered by a person (smoothed, see <see cref="AnswerRateEstimator"/>).</summary>
    public double AnswerRate { get; init; }

    /// <summary>Second-by-second forecast of agents freeing and answers arriving (see <see cref="PacingOutlookForecast"/>).
    /// When given, predictive pacing matches them per moment; the default (empty) falls back to one horizon using
    /// <see cref="AgentsExpectedFree"/> and <see cref="ExpectedAnswersInFlight"/>.</summary>
    public PacingOutlook Outlook { get; init; }

    /// <summary>Abandoned / person-answered calls over the recent window (see <see cref="AbandonRateWindow"/>).</summary>
    public double AbandonRate { get; init; }
}
