using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// How many new calls a campaign dials now. Pure: no clock, no I/O, no allocation; the campaign grain
/// and the simulation call it with a snapshot and dial what it returns.
/// </summary>
public static class Pacer
{
    /// <summary>Below this the answer-rate estimate is noise; dialing more would only flood the trunk.</summary>
    public const double MinimumAnswerRate = 0.02;

    /// <summary>
    /// Safety margin, in standard deviations of the number of person-answers, kept between expected answers and
    /// expected free agents when the abandon rate sits at target. Measured in loadtests/DialerCluster.Simulation
    /// (feedback off, 50 agents, 30% answer, 180 s talk): z = 0.8 gives 88.3% occupancy at 3.0% abandoned,
    /// 1.2 gives 88.5% at 2.4%, 1.6 gives 86.2% at 0.6%; 10-agent teams needed z ≈ 2 to stay under 3%.
    /// </summary>
    public const double BaseSafetyMargin = 2.0;

    /// <summary>Standard deviations of margin per target-width of abandon rate.</summary>
    public const double MarginGain = 2.0;

    /// <summary>Abandon rate, as a share of the target, from which the pacer backs off. Backing off earlier was
    /// measured to cost occupancy without lowering the day's abandon rate: the rolling window is noisy.</summary>
    public const double BackOffStart = 1.0;

    /// <summary>
    /// Lines to dial now: never negative, zero with no agent logged in or in preview (the agent dials),
    /// never beyond the campaign's or the per-agent line limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range; the message names it.</exception>
    public static int LinesToDial(in PacingInput input)
    {
        Validate(in input);
        var policy = input.Policy;

        if (policy.Mode == DialMode.Preview || input.AgentsLoggedIn == 0)
        {
            return 0;
        }

        // long arithmetic: a snapshot with huge counts must clamp, never overflow into a negative.
        long outstanding = (long)input.CallsInFlight + input.CallsAwaitingAgent;
        double perAgentLimit = Math.Floor(policy.MaxLinesPerAgent * input.AgentsLoggedIn);
        long lineLimit = (long)Math.Min(policy.MaxCampaignLines, perAgentLimit);
        int room = (int)Math.Max(0, lineLimit - outstanding);
        if (room == 0)
        {
            return 0;
        }

        // Progressive: each ready agent has exactly one call working for it, so an answer always finds an agent.
        long progressive = Math.Max(0, input.AgentsReady - outstanding);

        // Relative pressure from the regulator's cap: 1.0 means the recent window sits exactly at target.
        double pressure = input.AbandonRate / policy.TargetAbandonRate;

        long lines = policy.Mode switch
        {
            DialMode.Progressive => progressive,

            // Power dialing ignores the forecast, but not the law: at or over target it falls back to one line per agent.
            DialMode.Power => pressure >= 1.0
                ? progressive
                : Math.Max(progressive, ((long)policy.PowerLinesPerAgent * input.AgentsReady) - outstanding),

            // Never below progressive: one call per idle agent cannot abandon.
            DialMode.Predictive => Math.Max(progressive, Predictive(in input, pressure, room)),
            _ => 0,
        };

        return (int)Math.Min(lines, room);
    }

    /// <summary>
    /// Expected-value pacing with a safety margin. Over the horizon in which new calls get answered, the agents
    /// able to take a call are the ready ones plus the busy ones expected to free up; every call already out and
    /// every new one is answered by a person with probability p. Dial the largest number n such that
    ///   E[answers in flight] + p·n + z·σ ≤ supply · f,
    /// where σ² = Var(answers in flight) + n·p·(1−p) + Var(agents freeing), and the abandon feedback raises z and lowers f:
    /// gently from half the target, sharply past it.
    /// </summary>
    private static int Predictive(in PacingInput input, double pressure, int room)
    {
        double p = Math.Clamp(input.AnswerRate, MinimumAnswerRate, 1.0);
        double supply = (input.AgentsReady + input.AgentsExpectedFree - input.CallsAwaitingAgent) * SupplyFactor(pressure);
        if (supply <= 0)
        {
            return 0;
        }

        double z = SafetyMargin(pressure);
        double variancePerCall = p * (1 - p);
        double inFlightAnswers = input.ExpectedAnswersInFlight ?? p * input.CallsInFlight;
        double fixedVariance = input.AgentsExpectedFreeVariance
            + (input.ExpectedAnswersInFlight is null ? variancePerCall * input.CallsInFlight : input.ExpectedAnswersInFlightVariance);
        if (!Fits(0, p, inFlightAnswers, fixedVariance, variancePerCall, z, supply))
        {
            return 0;
        }

        // The left side grows with n, so the largest n that fits is found by bisection over [0, room].
        int low = 0;
        int high = room;
        while (low < high)
        {
            int mid = low + ((high - low + 1) / 2);
            if (Fits(mid, p, inFlightAnswers, fixedVariance, variancePerCall, z, supply))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    private static bool Fits(int n, double p, double inFlightAnswers, double fixedVariance, double variancePerCall, double z, double supply)
    {
        double deviation = Math.Sqrt(fixedVariance + (n * variancePerCall));
        return inFlightAnswers + (p * n) + (z * deviation) <= supply;
    }

    /// <summary>Share of the forecast supply the pacer plans to fill: all of it under target, then falling fast
    /// (halved about every 23% over target), bottoming out at progressive.</summary>
    internal static double SupplyFactor(double pressure) =>
        pressure <= BackOffStart ? 1.0 : Math.Exp(-3.0 * (pressure - BackOffStart));

    /// <summary>
    /// Proportional feedback on the margin: <see cref="BaseSafetyMargin"/> at target, shrinking to zero as the recent
    /// abandon rate falls to zero (large teams pool their noise and can dial closer), growing past the target on top
    /// of the supply cut. Non-increasing in the abandon rate by construction.
    /// </summary>
    internal static double SafetyMargin(double pressure) =>
        Math.Max(0, BaseSafetyMargin + (MarginGain * (pressure - BackOffStart)));

    private static void Validate(in PacingInput input)
    {
        var policy = input.Policy;
        if (!Enum.IsDefined(policy.Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(input), policy.Mode, "Policy.Mode is not a defined dial mode.");
        }

        if (!(policy.TargetAbandonRate > 0 && policy.TargetAbandonRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(input), policy.TargetAbandonRate, "Policy.TargetAbandonRate must be more than 0 and at most 1.");
        }

        if (!(policy.MaxLinesPerAgent > 0) || double.IsInfinity(policy.MaxLinesPerAgent))
        {
            throw new ArgumentOutOfRangeException(nameof(input), policy.MaxLinesPerAgent, "Policy.MaxLinesPerAgent must be a finite number more than 0.");
        }

        if (policy.MaxCampaignLines < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), policy.MaxCampaignLines, "Policy.MaxCampaignLines must not be negative.");
        }

        if (policy.PowerLinesPerAgent < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(input), policy.PowerLinesPerAgent, "Policy.PowerLinesPerAgent must be at least 1.");
        }

        if (input.AgentsLoggedIn < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AgentsLoggedIn, "AgentsLoggedIn must not be negative.");
        }

        if (input.AgentsReady < 0 || input.AgentsReady > input.AgentsLoggedIn)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AgentsReady, "AgentsReady must be between 0 and AgentsLoggedIn.");
        }

        if (!(input.AgentsExpectedFree >= 0 && input.AgentsExpectedFree <= input.AgentsLoggedIn - input.AgentsReady))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AgentsExpectedFree, "AgentsExpectedFree must be between 0 and the agents not ready.");
        }

        if (!(input.AgentsExpectedFreeVariance >= 0) || double.IsInfinity(input.AgentsExpectedFreeVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AgentsExpectedFreeVariance, "AgentsExpectedFreeVariance must be a finite number, at least 0.");
        }

        if (input.CallsInFlight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.CallsInFlight, "CallsInFlight must not be negative.");
        }

        if (input.CallsAwaitingAgent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.CallsAwaitingAgent, "CallsAwaitingAgent must not be negative.");
        }

        if (input.ExpectedAnswersInFlight is { } expected && !(expected >= 0 && expected <= input.CallsInFlight))
        {
            throw new ArgumentOutOfRangeException(nameof(input), expected, "ExpectedAnswersInFlight must be between 0 and CallsInFlight.");
        }

        if (!(input.ExpectedAnswersInFlightVariance >= 0) || double.IsInfinity(input.ExpectedAnswersInFlightVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.ExpectedAnswersInFlightVariance, "ExpectedAnswersInFlightVariance must be a finite number, at least 0.");
        }

        if (!(input.AnswerRate >= 0 && input.AnswerRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AnswerRate, "AnswerRate must be between 0 and 1.");
        }

        if (!(input.AbandonRate >= 0 && input.AbandonRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AbandonRate, "AbandonRate must be between 0 and 1.");
        }
    }
}
