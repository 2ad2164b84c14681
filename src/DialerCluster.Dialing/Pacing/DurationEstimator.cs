namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// The empirical distribution of a recent duration (talk time, wrap-up, ring time until answer) over the last
/// <c>window</c> samples, with an exponential prior of a given mean until <c>minimumSamples</c> are known.
/// Handle times are long-tailed and rarely exponential, so the forecast uses the observed distribution, not a fitted one.
/// </summary>
/// <remarks>Not thread-safe: owned by one campaign's turn. Record is O(window); queries are O(log window).</remarks>
public sealed class DurationEstimator
{
    private readonly double[] _arrival;
    private readonly double[] _sorted;
    private readonly double _priorMeanSeconds;
    private readonly int _minimumSamples;
    private int _next;
    private int _count;
    private double _sum;

    public DurationEstimator(TimeSpan priorMean, int window = 500, int minimumSamples = 20)
    {
        if (priorMean <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(priorMean), priorMean, "priorMean must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSamples);
        _arrival = new double[window];
        _sorted = new double[window];
        _priorMeanSeconds = priorMean.TotalSeconds;
        _minimumSamples = Math.Min(minimumSamples, window);
    }

    public int Samples => _count;

    /// <summary>Mean of the window, or the prior mean while too few samples are known.</summary>
    public TimeSpan Mean => TimeSpan.FromSeconds(MeanSeconds);

    private double MeanSeconds => _count < _minimumSamples || _count == 0 ? _priorMeanSeconds : _sum / _count;

    /// <summary>The durations in the window in seconds, oldest first: recording them again into a new estimator rebuilds this one.</summary>
    public double[] SamplesInSeconds()
    {
        var samples = new double[_count];
        var oldest = _count == _arrival.Length ? _next : 0;
        for (var i = 0; i < _count; i++)
        {
            samples[i] = _arrival[(oldest + i) % _arrival.Length];
        }

        return samples;
    }

    public void Record(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must not be negative.");
        }

        double seconds = duration.TotalSeconds;
        if (_count == _arrival.Length)
        {
            double oldest = _arrival[_next];
            _sum -= oldest;
            int at = Array.BinarySearch(_sorted, 0, _count, oldest);
            Array.Copy(_sorted, at + 1, _sorted, at, _count - at - 1);
            _count--;
        }

        _arrival[_next] = seconds;
        _next = (_next + 1) % _arrival.Length;
        _sum += seconds;

        int insert = Array.BinarySearch(_sorted, 0, _count, seconds);
        if (insert < 0)
        {
            insert = ~insert;
        }

        Array.Copy(_sorted, insert, _sorted, insert + 1, _count - insert);
        _sorted[insert] = seconds;
        _count++;
    }

    /// <summary>P(duration ≤ elapsed + horizon | duration > elapsed): how likely something already running for
    /// <paramref name="elapsed"/> ends within the next <paramref name="horizon"/>.</summary>
    public double ProbabilityEndsWithin(TimeSpan elapsed, TimeSpan horizon)
    {
        if (horizon <= TimeSpan.Zero)
        {
            return 0;
        }

        double e = Math.Max(0, elapsed.TotalSeconds);
        double h = horizon.TotalSeconds;
        if (_count >= _minimumSamples && _count > 0)
        {
            int survivingNow = CountAbove(e);
            if (survivingNow > 0)
            {
                int survivingLater = CountAbove(e + h);
                return (survivingNow - survivingLater) / (double)survivingNow;
            }
        }

        // No sample ran this long (or too few samples): assume a memoryless tail with the current mean.
        return 1 - Math.Exp(-h / MeanSeconds);
    }

    /// <summary>
    /// The whole conditional distribution at once: <paramref name="cumulative"/>[k] = P(ends within (k+1)·<paramref name="step"/>
    /// | still running after <paramref name="elapsed"/>), the same as <see cref="ProbabilityEndsWithin"/> at each step, in one
    /// pass over the sorted window instead of a search per step. Allocates nothing.
    /// </summary>
    public void FillEndingWithin(TimeSpan elapsed, TimeSpan step, Span<double> cumulative)
    {
        if (step <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "step must be positive.");
        }

        double e = Math.Max(0, elapsed.TotalSeconds);
        double s = step.TotalSeconds;
        if (_count >= _minimumSamples && _count > 0)
        {
            int survivingNow = CountAbove(e);
            if (survivingNow > 0)
            {
                // Walk the sorted samples once: index of the first sample beyond each step's end only moves forward.
                int index = _count - survivingNow;
                for (int k = 0; k < cumulative.Length; k++)
                {
                    double end = e + ((k + 1) * s);
                    while (index < _count && _sorted[index] <= end)
                    {
                        index++;
                    }

                    cumulative[k] = (survivingNow - (_count - index)) / (double)survivingNow;
                }

                return;
            }
        }

        double mean = MeanSeconds;
        for (int k = 0; k < cumulative.Length; k++)
        {
            cumulative[k] = 1 - Math.Exp(-((k + 1) * s) / mean);
        }
    }

    /// <summary>P(duration > elapsed): how likely something is still running after <paramref name="elapsed"/>.</summary>
    public double Survival(TimeSpan elapsed)
    {
        double e = Math.Max(0, elapsed.TotalSeconds);
        if (_count >= _minimumSamples && _count > 0)
        {
            int surviving = CountAbove(e);
            if (surviving > 0 || e <= _sorted[_count - 1])
            {
                return surviving / (double)_count;
            }

            // Past the longest sample: a small tail, not zero, so a late event is never "impossible".
            return Math.Exp(-e / MeanSeconds) / _count;
        }

        return Math.Exp(-e / MeanSeconds);
    }

    private int CountAbove(double seconds)
    {
        // First index with a value > seconds.
        int low = 0;
        int high = _count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (_sorted[mid] <= seconds)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return _count - low;
    }
}
