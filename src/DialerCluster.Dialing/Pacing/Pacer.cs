using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// How many new calls a campaign dials now, and whether it releases a call that has rung long enough. Pure: no clock, no I/O, no allocation; the campaign grain
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

    /// <summary>FCC 47 CFR 64.1200(a)(7): an answered call with no live agent within 2 seconds is abandoned.</summary>
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// With an outlook: the chance a further call, if a person answers it, finds no agent within 2 s that the pacer
    /// accepts when the abandon rate sits at <see cref="RiskSetPoint"/> of the target. The marginal call is the riskiest
    /// one, the calls before it are safer; but calls dialed in the next seconds crowd the same moments, so the day's rate
    /// lands above it. Measured in loadtests/DialerCluster.Simulation, feedback off, releasing per <see cref="ShouldRelease"/>,
    /// 50 agents, 30% answer, 180 s talk: 0.015 gives 88.8% occupancy at 2.1% abandoned, 0.02 gives 89.1% at 2.7%,
    /// 0.03 gives 89.5% at 3.9% (without releasing: 0.01 gave 88.4% at 2.1%, 0.02 gave 89.1% at 3.1%).
    /// </summary>
    public const double BaseRiskPerCall = 0.025;

    /// <summary>Most risk accepted however low the abandon rate reads: a quiet half-hour on a small team is luck, not room.</summary>
    public const double MaxRiskPerCall = 0.035;

    /// <summary>Abandon rate, as a share of the target, from which the pacer dials no more than progressive.</summary>
    public const double RiskCutOff = 2.0;

    /// <summary>FCC 47 CFR 64.1200(a)(6): a call may be released unanswered once it has rung for at least 15 seconds.</summary>
    public static readonly TimeSpan MinimumRingBeforeRelease = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Whether to release (hang up) a call that is still ringing: only in predictive mode, only once it has rung for
    /// <see cref="MinimumRingBeforeRelease"/>, and only when its answer, should it still come, would more likely than the
    /// pacer accepts for a new dial find no agent within 2 s. Not an abandon: nobody answered. Pure, like <see cref="LinesToDial"/>.
    /// </summary>
    /// <param name="ringing">How long the call has rung (from the ringing event, not from the dial).</param>
    /// <param name="answeredBy">[k]: probability that its answer, should it come, has come by the end of outlook step k
    /// (cumulative, ending at 1), given how long it has been out.</param>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range; the message names it.</exception>
    public static bool ShouldRelease(in PacingInput input, TimeSpan ringing, ReadOnlySpan<double> answeredBy)
    {
        Validate(in input);
        var outlook = input.Outlook;
        if (ringing < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ringing), ringing, "ringing must not be negative.");
        }

        if (outlook.Length > 0 && answeredBy.Length != outlook.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(answeredBy), answeredBy.Length, "answeredBy must have one value per outlook step.");
        }

        foreach (double value in answeredBy)
        {
            if (!(value >= 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(answeredBy), value, "answeredBy values must be probabilities between 0 and 1.");
            }
        }

        // Without an outlook there is no moment-by-moment forecast to say the answer would be abandoned: keep the call.
        if (input.Policy.Mode != DialMode.Predictive || ringing < MinimumRingBeforeRelease || outlook.Length == 0 || input.AgentsLoggedIn == 0)
        {
            return false;
        }

        // The same limit as for a new dial: a call the pacer would not place now is not worth keeping either.
        double limit = RiskPerCall(input.AbandonRate / input.Policy.TargetAbandonRate);
        int grace = (int)Math.Round(AbandonAfter / outlook.Step);
        double p = Math.Clamp(input.AnswerRate, MinimumAnswerRate, 1.0);

        // The outlook's answers include this call's own small chance (a few percent after 15 s of ringing): a slight lean
        // towards releasing, which costs nothing when its answer was unlikely anyway.
        return MarginalRisk(1, p, input.AgentsReady - input.CallsAwaitingAgent, grace, in outlook, answeredBy) > limit;
    }

    /// <summary>Log-change of the accepted risk per target-width of abandon rate away from the set point: 4.5% abandoned
    /// over the window (1.5 × target) cuts it to a sixth, 6% stops predictive dialing (<see cref="RiskCutOff"/>). Measured
    /// over the grid: the earlier linear feedback (gain 1.5 around 85% of target) chased the noisy 30-minute window, which
    /// at 50 agents swings between 1% and 5% from one half-hour to the next, and cost 0.4 points of occupancy against a
    /// fixed risk with the same abandon rate; gain 2 kept 10-agent teams under 3% on seed 20260105 but not on seed 7.</summary>
    public const double RiskGain = 3.0;

    /// <summary>Abandon rate, as a share of the target, the feedback steers to: under the cap with room for a bad half-hour.</summary>
    public const double RiskSetPoint = 0.9;

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
            DialMode.Predictive => Math.Max(progressive, input.Outlook.Length > 0
                ? Matched(in input, pressure, room)
                : Predictive(in input, pressure, room)),
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

    /// <summary>
    /// Time-resolved pacing. Answers are served first come, first served, and every agent ready now or freed later takes
    /// the oldest waiting answer, so an answer arriving at t is abandoned when the answers by t outnumber the agents free
    /// by t + 2 s. For the n-th new call this happens, if a person answers it during step k, with probability
    ///   P(answers by k from calls out + from the n − 1 other new calls ≥ agents ready + agents free by k + 2 s),
    /// taken as normal (sums of many independent yes/no events). Averaged over when the answer comes, that is the
    /// marginal call's abandon risk; dial the largest n whose marginal risk stays within what the abandon feedback allows.
    /// </summary>
    private static int Matched(in PacingInput input, double pressure, int room)
    {
        double risk = RiskPerCall(pressure);
        if (risk <= 0)
        {
            return 0;
        }

        double p = Math.Clamp(input.AnswerRate, MinimumAnswerRate, 1.0);
        var outlook = input.Outlook;
        int grace = (int)Math.Round(AbandonAfter / outlook.Step);
        double ready = input.AgentsReady - input.CallsAwaitingAgent;
        if (MarginalRisk(1, p, ready, grace, in outlook) > risk)
        {
            return 0;
        }

        // The marginal risk never falls as n grows (see MarginalRisk), so the largest n within it is found by bisection.
        int low = 1;
        int high = room;
        while (low < high)
        {
            int mid = low + ((high - low + 1) / 2);
            if (MarginalRisk(mid, p, ready, grace, in outlook) <= risk)
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

    /// <summary>
    /// Abandon risk of the n-th new call, should a person answer it. Non-decreasing in n by construction: the mean excess
    /// grows with n; while it is negative a wider spread only raises the risk, and once it is positive the spread is
    /// held at the n-free part so a growing spread cannot lower it.
    /// </summary>
    private static double MarginalRisk(int n, double p, double ready, int grace, in PacingOutlook outlook) =>
        MarginalRisk(n, p, ready, grace, in outlook, outlook.NewCallAnswered.Span);

    private static double MarginalRisk(int n, double p, double ready, int grace, in PacingOutlook outlook, ReadOnlySpan<double> newCall)
    {
        var free = outlook.AgentsFree.Span;
        var freeVariance = outlook.AgentsFreeVariance.Span;
        var answers = outlook.Answers.Span;
        var answersVariance = outlook.AnswersVariance.Span;
        int last = free.Length - 1;
        double others = n - 1;
        double risk = 0;
        for (int k = 0; k <= last; k++)
        {
            double share = newCall[k] - (k > 0 ? newCall[k - 1] : 0);
            if (share <= 0)
            {
                continue;
            }

            int j = Math.Min(k + grace, last);
            double pg = p * newCall[k];
            double fixedVariance = answersVariance[k] + freeVariance[j];

            // Half a call: continuity correction from counts to the normal.
            double excess = answers[k] + (others * pg) - (ready + free[j]) + 0.5;
            double spread = Math.Sqrt(excess <= 0 ? fixedVariance + (others * pg * (1 - pg)) : fixedVariance);
            double busy = spread > 0 ? NormalCdf(excess / spread) : excess > 0 ? 1 : excess == 0 ? 0.5 : 0;
            risk += share * busy;
        }

        return risk;
    }

    /// <summary>Accepted marginal abandon risk: <see cref="BaseRiskPerCall"/> at the set point, multiplied by e for every
    /// 1 / <see cref="RiskGain"/> target-widths under it (capped at <see cref="MaxRiskPerCall"/>) and divided by e for as
    /// much over it; zero (progressive) from <see cref="RiskCutOff"/> times the target. Non-increasing in the abandon rate.</summary>
    internal static double RiskPerCall(double pressure) =>
        pressure >= RiskCutOff ? 0 : Math.Min(MaxRiskPerCall, BaseRiskPerCall * Math.Exp(RiskGain * (RiskSetPoint - pressure)));

    /// <summary>Standard normal distribution function (Abramowitz and Stegun 26.2.17, error under 1e-7).</summary>
    internal static double NormalCdf(double x)
    {
        if (double.IsNaN(x))
        {
            return 0.5;
        }

        double t = 1 / (1 + (0.2316419 * Math.Abs(x)));
        double density = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
        double tail = density * t * (0.319381530 + (t * (-0.356563782 + (t * (1.781477937 + (t * (-1.821255978 + (t * 1.330274429))))))));
        return x >= 0 ? 1 - tail : tail;
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

        ValidateOutlook(in input);

        if (!(input.AnswerRate >= 0 && input.AnswerRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AnswerRate, "AnswerRate must be between 0 and 1.");
        }

        if (!(input.AbandonRate >= 0 && input.AbandonRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(input), input.AbandonRate, "AbandonRate must be between 0 and 1.");
        }
    }

    private static void ValidateOutlook(in PacingInput input)
    {
        var outlook = input.Outlook;
        int length = outlook.Length;
        if (length == 0)
        {
            return;
        }

        if (outlook.Step <= TimeSpan.Zero || outlook.Step > AbandonAfter)
        {
            throw new ArgumentOutOfRangeException(nameof(input), outlook.Step, "Outlook.Step must be positive and at most the 2-second abandon limit.");
        }

        if (outlook.AgentsFreeVariance.Length != length || outlook.Answers.Length != length
            || outlook.AnswersVariance.Length != length || outlook.NewCallAnswered.Length != length)
        {
            throw new ArgumentOutOfRangeException(nameof(input), length, "Outlook's AgentsFree, AgentsFreeVariance, Answers, AnswersVariance and NewCallAnswered must have the same length.");
        }

        double busy = input.AgentsLoggedIn - input.AgentsReady;
        CheckRange(outlook.AgentsFree.Span, 0, busy + 1e-6, "Outlook.AgentsFree values must be between 0 and the agents not ready.");
        CheckRange(outlook.AgentsFreeVariance.Span, 0, double.MaxValue, "Outlook.AgentsFreeVariance values must be finite numbers, at least 0.");
        CheckRange(outlook.Answers.Span, 0, input.CallsInFlight + 1e-6, "Outlook.Answers values must be between 0 and CallsInFlight.");
        CheckRange(outlook.AnswersVariance.Span, 0, double.MaxValue, "Outlook.AnswersVariance values must be finite numbers, at least 0.");
        CheckRange(outlook.NewCallAnswered.Span, 0, 1, "Outlook.NewCallAnswered values must be probabilities between 0 and 1.");
    }

    private static void CheckRange(ReadOnlySpan<double> values, double minimum, double maximum, string message)
    {
        foreach (double value in values)
        {
            if (!(value >= minimum && value <= maximum))
            {
                throw new ArgumentOutOfRangeException("input", value, message);
            }
        }
    }
}
