namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// Share of recent dial attempts answered by a person, over the last <c>window</c> finished attempts,
/// pulled towards a prior while few attempts are known (a Beta prior: the prior counts as <c>priorWeight</c> attempts).
/// </summary>
/// <remarks>Not thread-safe: owned by one campaign's turn.</remarks>
public sealed class AnswerRateEstimator
{
    private readonly bool[] _outcomes;
    private readonly double _priorRate;
    private readonly double _priorWeight;
    private int _next;
    private int _count;
    private int _answered;

    public AnswerRateEstimator(int window = 1000, double priorRate = 0.2, double priorWeight = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (!(priorRate >= 0 && priorRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(priorRate), priorRate, "priorRate must be between 0 and 1.");
        }

        if (!(priorWeight >= 0) || double.IsInfinity(priorWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(priorWeight), priorWeight, "priorWeight must be a finite number, at least 0.");
        }

        _outcomes = new bool[window];
        _priorRate = priorRate;
        _priorWeight = priorWeight;
    }

    /// <summary>Finished attempts currently in the window.</summary>
    public int Samples => _count;

    /// <summary>Attempts in the window answered by a person.</summary>
    public int Answered => _answered;

    /// <summary>The share measured in the window, without the prior (what a supervisor is shown); null before any attempt finished.</summary>
    public double? Observed => _count == 0 ? null : (double)_answered / _count;

    /// <summary>Smoothed probability that a dial is answered by a person; the prior when nothing is known yet.</summary>
    public double Rate => _count + _priorWeight == 0
        ? _priorRate
        : (_answered + (_priorRate * _priorWeight)) / (_count + _priorWeight);

    /// <summary>Records one finished attempt: answered by a person, or not (busy, no answer, failed, machine).</summary>
    /// <summary>The outcomes in the window, oldest first: recording them again into a new estimator rebuilds this one.</summary>
    public bool[] Outcomes()
    {
        var outcomes = new bool[_count];
        var oldest = _count == _outcomes.Length ? _next : 0;
        for (var i = 0; i < _count; i++)
        {
            outcomes[i] = _outcomes[(oldest + i) % _outcomes.Length];
        }

        return outcomes;
    }

    public void Record(bool answeredByPerson)
    {
        if (_count == _outcomes.Length)
        {
            if (_outcomes[_next])
            {
                _answered--;
            }
        }
        else
        {
            _count++;
        }

        _outcomes[_next] = answeredByPerson;
        if (answeredByPerson)
        {
            _answered++;
        }

        _next = (_next + 1) % _outcomes.Length;
    }
}
