namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// Builds the <see cref="PacingOutlook"/> for one pacing decision from the observed distributions: each wrapping-up
/// agent's remaining wrap-up, each talking agent's remaining talk (given how long the conversation has run) followed by a
/// wrap-up, and each ringing call's chance and time of a person's answer (given how long it has rung).
/// </summary>
/// <remarks>Reusable and allocation-free: <see cref="Reset"/>, add every busy agent and ringing call, then
/// <see cref="Complete"/>. Not thread-safe: owned by one campaign's turn. The outlook stays valid until the next Reset.</remarks>
public sealed class PacingOutlookForecast
{
    private readonly AnswerRateEstimator _answerRate;
    private readonly DurationEstimator _talk;
    private readonly DurationEstimator _wrapUp;
    private readonly DurationEstimator _timeToAnswer;
    private readonly DurationEstimator _timeToOtherOutcome;
    private readonly TimeSpan _step;
    private readonly double[] _agentsFree;
    private readonly double[] _agentsFreeVariance;
    private readonly double[] _talkEnds;
    private readonly double[] _answers;
    private readonly double[] _answersVariance;
    private readonly double[] _newCallAnswered;
    private readonly double[] _wrapUpFromStart;
    private readonly double[] _scratch;
    private double _eventualAnswers;
    private double _eventualAnswersVariance;
    private bool _complete;

    /// <param name="step">Resolution; a second matches the 2-second abandon rule and the pacing interval.</param>
    /// <param name="horizon">How far ahead; must cover the ring timeout, answers later than that are lumped into the last step.</param>
    public PacingOutlookForecast(
        AnswerRateEstimator answerRate,
        DurationEstimator talk,
        DurationEstimator wrapUp,
        DurationEstimator timeToAnswer,
        DurationEstimator timeToOtherOutcome,
        TimeSpan step,
        TimeSpan horizon)
    {
        _answerRate = answerRate ?? throw new ArgumentNullException(nameof(answerRate));
        _talk = talk ?? throw new ArgumentNullException(nameof(talk));
        _wrapUp = wrapUp ?? throw new ArgumentNullException(nameof(wrapUp));
        _timeToAnswer = timeToAnswer ?? throw new ArgumentNullException(nameof(timeToAnswer));
        _timeToOtherOutcome = timeToOtherOutcome ?? throw new ArgumentNullException(nameof(timeToOtherOutcome));
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "step must be positive.");
        }

        if (horizon < step || horizon.Ticks / step.Ticks > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be at least one step and at most 10,000 steps.");
        }

        int steps = (int)(horizon.Ticks / step.Ticks);
        _step = step;
        _agentsFree = new double[steps];
        _agentsFreeVariance = new double[steps];
        _talkEnds = new double[steps];
        _answers = new double[steps];
        _answersVariance = new double[steps];
        _newCallAnswered = new double[steps];
        _wrapUpFromStart = new double[steps];
        _scratch = new double[steps];
        Reset();
    }

    public void Reset()
    {
        Array.Clear(_agentsFree);
        Array.Clear(_agentsFreeVariance);
        Array.Clear(_talkEnds);
        Array.Clear(_answers);
        Array.Clear(_answersVariance);
        _eventualAnswers = 0;
        _eventualAnswersVariance = 0;
        _complete = false;
    }

    /// <summary>An agent in wrap-up: free when it ends; wrap-ups are short and regular, so this is the sharpest part of the forecast.</summary>
    public void AddWrappingUp(TimeSpan wrapUpElapsed)
    {
        EnsureOpen();
        _wrapUp.FillEndingWithin(wrapUpElapsed, _step, _scratch);
        for (int k = 0; k < _scratch.Length; k++)
        {
            double p = _scratch[k];
            _agentsFree[k] += p;
            _agentsFreeVariance[k] += p * (1 - p);
        }
    }

    /// <summary>An agent in conversation: free once the talk ends (hazard given the time already talked) and a wrap-up follows.</summary>
    public void AddTalking(TimeSpan talkElapsed)
    {
        EnsureOpen();
        _talk.FillEndingWithin(talkElapsed, _step, _scratch);
        double previous = 0;
        for (int k = 0; k < _scratch.Length; k++)
        {
            _talkEnds[k] += _scratch[k] - previous;
            previous = _scratch[k];
        }
    }

    /// <summary>A call still ringing (or not yet resolved) for <paramref name="sinceDialed"/>.</summary>
    public void AddCall(TimeSpan sinceDialed)
    {
        EnsureOpen();
        double q = InFlightForecast.PersonAnswerChance(_answerRate.Rate, _timeToAnswer, _timeToOtherOutcome, sinceDialed);
        _eventualAnswers += q;
        _eventualAnswersVariance += q * (1 - q);
        if (q <= 0)
        {
            return;
        }

        _timeToAnswer.FillEndingWithin(sinceDialed, _step, _scratch);
        for (int k = 0; k < _scratch.Length; k++)
        {
            double a = q * _scratch[k];
            _answers[k] += a;
            _answersVariance[k] += a * (1 - a);
        }
    }

    /// <summary>Finishes the outlook for this decision: adds the talking agents' wrap-ups and the answer-time tails.</summary>
    public PacingOutlook Complete()
    {
        if (!_complete)
        {
            _complete = true;
            _timeToAnswer.FillEndingWithin(TimeSpan.Zero, _step, _newCallAnswered);
            _wrapUpFromStart.AsSpan().Clear();
            _wrapUp.FillEndingWithin(TimeSpan.Zero, _step, _wrapUpFromStart);

            // Talk ending during step j, then a wrap-up, frees the agent by the end of step k when the wrap-up takes at
            // most k − j steps (the talk end counted at the start of its step's end: a slightly late, safe estimate).
            // Each talking agent is rarely free within the horizon, so its variance p(1 − p) is bounded by p.
            for (int k = 0; k < _agentsFree.Length; k++)
            {
                double free = 0;
                for (int j = 0; j < k; j++)
                {
                    free += _talkEnds[j] * _wrapUpFromStart[k - j - 1];
                }

                _agentsFree[k] += free;
                _agentsFreeVariance[k] += free;
            }

            int last = _answers.Length - 1;
            _answers[last] = _eventualAnswers;
            _answersVariance[last] = _eventualAnswersVariance;
            _newCallAnswered[last] = 1;
        }

        return new PacingOutlook(_step, _agentsFree, _agentsFreeVariance, _answers, _answersVariance, _newCallAnswered);
    }

    private void EnsureOpen()
    {
        if (_complete)
        {
            throw new InvalidOperationException("The outlook is complete: Reset before adding to the next decision.");
        }
    }
}
