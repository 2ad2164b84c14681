namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// How many of the calls still ringing will be answered by a person. A call that has rung for a while is less
/// likely to be answered than a fresh one (answers come early, no-answers run to the ring timeout), so each call
/// counts with P(person answers | still unresolved after e) = p·Sa(e) / (p·Sa(e) + (1−p)·So(e)), where Sa and So are
/// the survival functions of the time to a person's answer and of the time to any other outcome.
/// Counting every ringing call at p instead over-states what is coming and under-dials.
/// </summary>
/// <remarks>Reusable: <see cref="Reset"/> before each pacing decision; allocates nothing.</remarks>
public sealed class InFlightForecast
{
    private readonly AnswerRateEstimator _answerRate;
    private readonly DurationEstimator _timeToAnswer;
    private readonly DurationEstimator _timeToOtherOutcome;

    /// <param name="answerRate">P(person answers) per dial.</param>
    /// <param name="timeToAnswer">From dial to a person's answer, for answered calls.</param>
    /// <param name="timeToOtherOutcome">From dial to busy, failure, no answer or machine.</param>
    public InFlightForecast(AnswerRateEstimator answerRate, DurationEstimator timeToAnswer, DurationEstimator timeToOtherOutcome)
    {
        _answerRate = answerRate ?? throw new ArgumentNullException(nameof(answerRate));
        _timeToAnswer = timeToAnswer ?? throw new ArgumentNullException(nameof(timeToAnswer));
        _timeToOtherOutcome = timeToOtherOutcome ?? throw new ArgumentNullException(nameof(timeToOtherOutcome));
    }

    public double ExpectedAnswers { get; private set; }

    public double Variance { get; private set; }

    public void Reset()
    {
        ExpectedAnswers = 0;
        Variance = 0;
    }

    public void AddCall(TimeSpan sinceDialed)
    {
        double q = PersonAnswerChance(_answerRate.Rate, _timeToAnswer, _timeToOtherOutcome, sinceDialed);
        ExpectedAnswers += q;
        Variance += q * (1 - q);
    }

    /// <summary>P(a person answers | the call is still unresolved after <paramref name="sinceDialed"/>).</summary>
    internal static double PersonAnswerChance(double answerRate, DurationEstimator timeToAnswer, DurationEstimator timeToOtherOutcome, TimeSpan sinceDialed)
    {
        double answering = answerRate * timeToAnswer.Survival(sinceDialed);
        double other = (1 - answerRate) * timeToOtherOutcome.Survival(sinceDialed);
        return answering + other > 0 ? answering / (answering + other) : 0;
    }
}
