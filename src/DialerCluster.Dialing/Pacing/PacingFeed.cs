namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// What a campaign learns from its calls, turned into one <see cref="PacingInput"/> per pacing decision. Shared by the
/// campaign grain and the simulation so that the pacer is fed the same way in production as in the benchmark.
/// Not thread-safe: owned by one campaign (a grain turn, or the single-threaded simulation).
/// </summary>
/// <remarks>
/// A decision is built in three steps so the loop allocates nothing: <see cref="BeginDecision"/>, then one
/// Add* per busy agent and per call still dialing, then <see cref="Complete"/>.
/// </remarks>
public sealed class PacingFeed
{
    /// <summary>Prior added to the campaign-so-far denominator, so the first few answers cannot swing the rate to 50%.</summary>
    public const double CampaignAbandonPrior = 20.0;

    private readonly InFlightForecast _inFlight;
    private readonly AgentAvailabilityForecast _forecast;
    private readonly PacingOutlookForecast _outlook;
    private TimeSpan _horizon;

    public PacingFeed(TimeSpan priorTalkTime, TimeSpan abandonWindow)
    {
        TalkTime = new DurationEstimator(priorTalkTime);
        _forecast = new AgentAvailabilityForecast(TalkTime, WrapUpTime);
        _inFlight = new InFlightForecast(AnswerRate, AnswerDelay, OtherOutcomeDelay);
        AbandonWindow = new AbandonRateWindow(abandonWindow);

        _outlook = new PacingOutlookForecast(
            AnswerRate, TalkTime, WrapUpTime, AnswerDelay, OtherOutcomeDelay, OutlookStep, OutlookHorizon);
    }

    /// <summary>Resolution of the outlook; a second matches the 2-second abandon rule and the pacing interval.</summary>
    public static TimeSpan OutlookStep => TimeSpan.FromSeconds(1);

    /// <summary>How far the outlook looks: the 25 s ring timeout plus post-dial delay.</summary>
    public static TimeSpan OutlookHorizon => TimeSpan.FromSeconds(30);

    /// <summary>Steps in the outlook: the length <see cref="FillAnswerTiming"/> expects.</summary>
    public static int OutlookSteps => (int)(OutlookHorizon.Ticks / OutlookStep.Ticks);

    public AnswerRateEstimator AnswerRate { get; } = new();

    public DurationEstimator TalkTime { get; }

    public DurationEstimator WrapUpTime { get; } = new(TimeSpan.FromSeconds(15));

    public DurationEstimator AnswerDelay { get; } = new(TimeSpan.FromSeconds(10));

    public DurationEstimator OtherOutcomeDelay { get; } = new(TimeSpan.FromSeconds(20));

    public AbandonRateWindow AbandonWindow { get; }

    /// <summary>Calls answered by a person since the campaign (or the simulated day) started here.</summary>
    public long AnsweredByPerson { get; private set; }

    public long Abandoned { get; private set; }

    /// <summary>
    /// The rate the pacer steers on. The cap applies over the campaign's period (30 days in the US, 24 h in the UK),
    /// so it is the worse of the recent window (reacts fast) and the period so far (a small team's few abandons add up).
    /// </summary>
    public double SteeringAbandonRate(DateTimeOffset now) =>
        Math.Max(AbandonWindow.Rate(now), Abandoned / (AnsweredByPerson + CampaignAbandonPrior));

    /// <summary>What the feed has learnt, to be kept across a restart: a new campaign activation recalls it.</summary>
    public PacingMemory Remember() => new(
        AnswerRate.Outcomes(),
        TalkTime.SamplesInSeconds(),
        WrapUpTime.SamplesInSeconds(),
        AnswerDelay.SamplesInSeconds(),
        OtherOutcomeDelay.SamplesInSeconds(),
        AbandonWindow.Buckets(),
        AnsweredByPerson,
        Abandoned);

    /// <summary>Takes back what an earlier activation learnt (into a fresh feed: samples are recorded again, oldest first).</summary>
    public void Recall(PacingMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        foreach (var answered in memory.Answers)
        {
            AnswerRate.Record(answered);
        }

        Replay(TalkTime, memory.TalkSeconds);
        Replay(WrapUpTime, memory.WrapUpSeconds);
        Replay(AnswerDelay, memory.AnswerDelaySeconds);
        Replay(OtherOutcomeDelay, memory.OtherOutcomeSeconds);
        AbandonWindow.Restore(memory.AbandonBuckets);
        AnsweredByPerson += memory.AnsweredByPerson;
        Abandoned += memory.Abandoned;

        static void Replay(DurationEstimator estimator, double[] seconds)
        {
            foreach (var value in seconds)
            {
                estimator.Record(TimeSpan.FromSeconds(value));
            }
        }
    }

    public void RecordPersonAnswered(TimeSpan sinceDialed, DateTimeOffset at)
    {
        AnswerRate.Record(true);
        AnswerDelay.Record(sinceDialed);
        AbandonWindow.RecordAnswered(at);
        AnsweredByPerson++;
    }

    /// <summary>Busy, no answer, failed or a machine: the call never reached a person.</summary>
    public void RecordOtherOutcome(TimeSpan sinceDialed)
    {
        AnswerRate.Record(false);
        OtherOutcomeDelay.Record(sinceDialed);
    }

    public void RecordAbandoned(DateTimeOffset at)
    {
        AbandonWindow.RecordAbandoned(at);
        Abandoned++;
    }

    public void BeginDecision()
    {
        _horizon = AgentAvailabilityForecast.Horizon(AnswerDelay.Mean);
        _forecast.Reset();
        _outlook.Reset();
        _inFlight.Reset();
    }

    public void AddTalking(TimeSpan talkElapsed)
    {
        _forecast.AddTalking(talkElapsed, _horizon);
        _outlook.AddTalking(talkElapsed);
    }

    public void AddWrappingUp(TimeSpan wrapUpElapsed)
    {
        _forecast.AddWrappingUp(wrapUpElapsed, _horizon);
        _outlook.AddWrappingUp(wrapUpElapsed);
    }

    /// <summary>Fills <paramref name="answeredBy"/> (one value per outlook second) with when a call out for
    /// <paramref name="sinceDialed"/> would be answered, should a person answer it: the input of <see cref="Pacer.ShouldRelease"/>.</summary>
    public void FillAnswerTiming(TimeSpan sinceDialed, Span<double> answeredBy)
    {
        if (answeredBy.IsEmpty)
        {
            return;
        }

        AnswerDelay.FillEndingWithin(sinceDialed, OutlookStep, answeredBy);
        answeredBy[^1] = 1;
    }

    public void AddDialing(TimeSpan sinceDialed)
    {
        _inFlight.AddCall(sinceDialed);
        _outlook.AddCall(sinceDialed);
    }

    public PacingInput Complete(in PacingPolicy policy, int agentsLoggedIn, int agentsReady, int callsInFlight, int callsAwaitingAgent, DateTimeOffset now) => new()
    {
        Policy = policy,
        AgentsLoggedIn = agentsLoggedIn,
        AgentsReady = agentsReady,
        AgentsExpectedFree = Math.Min(_forecast.ExpectedFree, agentsLoggedIn - agentsReady),
        AgentsExpectedFreeVariance = _forecast.Variance,
        CallsInFlight = callsInFlight,
        ExpectedAnswersInFlight = Math.Min(_inFlight.ExpectedAnswers, callsInFlight),
        ExpectedAnswersInFlightVariance = _inFlight.Variance,
        CallsAwaitingAgent = callsAwaitingAgent,
        Outlook = _outlook.Complete(),
        AnswerRate = AnswerRate.Rate,
        AbandonRate = SteeringAbandonRate(now),
    };
}

/// <summary>
/// A campaign's pacing estimators as learnt so far (samples oldest first) and its abandon window: kept in the campaign
/// grain's persistent state, so a restarted or moved campaign paces on what it knew instead of on priors.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record PacingMemory(
    bool[] Answers,
    double[] TalkSeconds,
    double[] WrapUpSeconds,
    double[] AnswerDelaySeconds,
    double[] OtherOutcomeSeconds,
    AbandonBucket[] AbandonBuckets,
    long AnsweredByPerson,
    long Abandoned);
