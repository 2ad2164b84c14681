using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Pacing;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Pacing;

/// <summary>Valid pacing snapshots, from an empty campaign to a 400-agent floor, for the properties.</summary>
internal static class PacingInputs
{
    public static readonly DialMode[] Modes = [DialMode.Preview, DialMode.Progressive, DialMode.Power, DialMode.Predictive];

    public static Gen<PacingInput> Any() =>
        from mode in Gen.Elements(Modes)
        from loggedIn in Gen.Choose(0, 400)
        from ready in Gen.Choose(0, loggedIn)
        from freeShare in Gen.Choose(0, 100)
        from inFlight in Gen.Choose(0, 2000)
        from inFlightShare in Gen.Choose(0, 100)
        from useInFlightForecast in ArbMap.Default.GeneratorFor<bool>()
        from awaiting in Gen.Choose(0, 20)
        from answerPermille in Gen.Choose(0, 1000)
        from abandonPermille in Gen.Choose(0, 1000)
        from targetPermille in Gen.Choose(1, 30)
        from maxLinesTenths in Gen.Choose(1, 100)
        from campaignLines in Gen.Choose(0, 5000)
        from powerLines in Gen.Choose(1, 10)
        from useOutlook in ArbMap.Default.GeneratorFor<bool>()
        from outlookSteps in Gen.Choose(1, 30)
        from answerShare in Gen.Choose(0, 100)
        let free = (loggedIn - ready) * freeShare / 100.0
        select new PacingInput
        {
            Policy = new PacingPolicy
            {
                Mode = mode,
                TargetAbandonRate = targetPermille / 1000.0,
                MaxLinesPerAgent = maxLinesTenths / 10.0,
                MaxCampaignLines = campaignLines,
                PowerLinesPerAgent = powerLines,
            },
            AgentsLoggedIn = loggedIn,
            AgentsReady = ready,
            AgentsExpectedFree = free,
            AgentsExpectedFreeVariance = free / 4,
            CallsInFlight = inFlight,
            ExpectedAnswersInFlight = useInFlightForecast ? inFlight * inFlightShare / 100.0 : null,
            ExpectedAnswersInFlightVariance = inFlight / 4.0,
            CallsAwaitingAgent = awaiting,
            AnswerRate = answerPermille / 1000.0,
            AbandonRate = abandonPermille / 1000.0,
            Outlook = Outlook(useOutlook ? outlookSteps : 0, free, inFlight * answerShare / 100.0),
        };

    /// <summary>A valid outlook ramping linearly to <paramref name="free"/> agents and <paramref name="answers"/>
    /// answers over <paramref name="steps"/> seconds (0 steps: no outlook, the single-horizon model).</summary>
    public static PacingOutlook Outlook(int steps, double free, double answers)
    {
        var agentsFree = new double[steps];
        var answersBy = new double[steps];
        var newCall = new double[steps];
        var freeVariance = new double[steps];
        var answersVariance = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            double share = (k + 1) / (double)steps;
            agentsFree[k] = free * share;
            answersBy[k] = answers * share;
            newCall[k] = share;
            freeVariance[k] = agentsFree[k] / 4;
            answersVariance[k] = answersBy[k] / 4;
        }

        return steps == 0
            ? default
            : new PacingOutlook(TimeSpan.FromSeconds(1), agentsFree, freeVariance, answersBy, answersVariance, newCall);
    }

    /// <summary>A calm 50-agent predictive campaign at a 24% person-answer rate.</summary>
    public static PacingInput Typical(DialMode mode = DialMode.Predictive) => new()
    {
        Policy = new PacingPolicy { Mode = mode },
        AgentsLoggedIn = 50,
        AgentsReady = 6,
        AgentsExpectedFree = 3,
        AgentsExpectedFreeVariance = 0.5,
        CallsInFlight = 10,
        CallsAwaitingAgent = 0,
        AnswerRate = 0.24,
        AbandonRate = 0.01,
    };
}
