namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// The next seconds of a campaign, step by step: how many busy agents will be free and how many person-answers the
/// calls already out will have brought, each cumulative up to the end of step k, and when a call dialed now would be
/// answered. Lets the pacer match answers against agents per moment instead of over one horizon: an answer is abandoned
/// when it comes before an agent does, not when a horizon's totals disagree. Built by <see cref="PacingOutlookForecast"/>;
/// a view over its reused buffers, so passing it allocates nothing. The default (empty) outlook means "not known".
/// </summary>
public readonly record struct PacingOutlook
{
    public PacingOutlook(
        TimeSpan step,
        ReadOnlyMemory<double> agentsFree,
        ReadOnlyMemory<double> agentsFreeVariance,
        ReadOnlyMemory<double> answers,
        ReadOnlyMemory<double> answersVariance,
        ReadOnlyMemory<double> newCallAnswered)
    {
        Step = step;
        AgentsFree = agentsFree;
        AgentsFreeVariance = agentsFreeVariance;
        Answers = answers;
        AnswersVariance = answersVariance;
        NewCallAnswered = newCallAnswered;
    }

    /// <summary>Length of one step.</summary>
    public TimeSpan Step { get; }

    /// <summary>[k]: expected talking or wrapping-up agents free by the end of step k (not counting agents ready now).</summary>
    public ReadOnlyMemory<double> AgentsFree { get; }

    /// <summary>[k]: variance of <see cref="AgentsFree"/>[k].</summary>
    public ReadOnlyMemory<double> AgentsFreeVariance { get; }

    /// <summary>[k]: expected person-answers by the end of step k among the calls in flight.</summary>
    public ReadOnlyMemory<double> Answers { get; }

    /// <summary>[k]: variance of <see cref="Answers"/>[k].</summary>
    public ReadOnlyMemory<double> AnswersVariance { get; }

    /// <summary>[k]: for a call dialed now that a person will answer, the probability the answer has come by the end of
    /// step k. The last step holds the rest of the distribution, so it is 1.</summary>
    public ReadOnlyMemory<double> NewCallAnswered { get; }

    /// <summary>Steps covered; 0 for the default outlook.</summary>
    public int Length => AgentsFree.Length;
}
