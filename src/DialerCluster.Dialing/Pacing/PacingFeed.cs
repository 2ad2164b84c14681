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

        // 30 s covers the 25 s ring timeout plus post-dial delay; one-second steps match the 2 s abandon rule.
        _outlook = new PacingOutlookForecast(
            AnswerRate, TalkTime, WrapUpTime, AnswerDelay, OtherOutcomeDelay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

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
