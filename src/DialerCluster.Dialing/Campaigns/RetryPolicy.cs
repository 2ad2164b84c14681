namespace DialerCluster.Dialing.Campaigns;

[GenerateSerializer]
public enum RetryDecisionKind
{
    /// <summary>Dial again, not before <see cref="RetryDecision.NotBefore"/>.</summary>
    RetryAt,

    /// <summary>The campaign's maximum attempts are used up; the case is not dialed again.</summary>
    Exhausted,

    /// <summary>A conversation booked the next contact: the funnel status and its next-contact time decide what follows.</summary>
    NoRetry,
}

public readonly record struct RetryDecision(RetryDecisionKind Kind, DateTimeOffset? NotBefore)
{
    public static RetryDecision Exhausted { get; } = new(RetryDecisionKind.Exhausted, null);

    public static RetryDecision NoRetry { get; } = new(RetryDecisionKind.NoRetry, null);

    public static RetryDecision At(DateTimeOffset notBefore) => new(RetryDecisionKind.RetryAt, notBefore);
}

/// <summary>When a case may be dialed again after an attempt.</summary>
public static class RetryPolicy
{
    /// <summary>
    /// Ofcom, "Revised statement of policy on the persistent misuse of an electronic communications network
    /// or service" (2016): when a call has been abandoned, the number must not be called again within 72 hours
    /// unless a live agent is guaranteed. We do not rely on that exception: no machine redial for 72 hours.
    /// </summary>
    public static readonly TimeSpan AbandonedQuarantine = TimeSpan.FromHours(72);

    /// <param name="outcome">How the attempt just made ended.</param>
    /// <param name="attemptsSoFar">Attempts made on this case, including the one that just ended.</param>
    /// <param name="settings">The campaign's settings (max attempts, delays).</param>
    /// <param name="now">When the attempt ended.</param>
    /// <param name="followUpDecided">
    /// The case says what follows: a callback is booked (in acquisition or offered with a next contact), or it is won or resigned.
    /// </param>
    /// <remarks>
    /// A talk that decided nothing (the status left as it was, no callback) is no reason to ring the same person again
    /// at once (issue 15: such a case was redialed 12 s later): it waits the campaign's no-answer delay, like a call that
    /// reached nobody, and counts towards the maximum attempts. Only a talk that decided the follow-up leaves it to the funnel.
    /// </remarks>
    public static RetryDecision Next(CallOutcome outcome, int attemptsSoFar, CampaignSettings settings, DateTimeOffset now, bool followUpDecided)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(attemptsSoFar);

        if (outcome == CallOutcome.Talked && followUpDecided)
        {
            return RetryDecision.NoRetry;
        }

        // An abandoned call counts as an attempt: the contact's phone rang and was answered.
        if (attemptsSoFar >= settings.MaxAttempts)
        {
            return RetryDecision.Exhausted;
        }

        // Talked and abandoned have no delay of their own: to the contact, each was a call that came to nothing.
        var delay = settings.RetryDelays.For(outcome is CallOutcome.Talked or CallOutcome.Abandoned ? CallOutcome.NoAnswer : outcome)
            ?? throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not a defined call outcome.");
        if (outcome == CallOutcome.Abandoned && delay < AbandonedQuarantine)
        {
            delay = AbandonedQuarantine;
        }

        return RetryDecision.At(now + delay);
    }
}
