namespace DialerCluster.Dialing.Pacing;

/// <summary>
/// Person-answered and abandoned calls over a rolling time window, in fixed buckets so recording and reading
/// allocate nothing. The regulators measure over longer periods (30 days in the US, 24 hours in the UK); the pacer
/// steers on a recent window so it reacts within minutes, which keeps those long-period rates under the cap too.
/// </summary>
/// <remarks>Not thread-safe: owned by one campaign's turn. Times must not go backwards by more than a bucket.</remarks>
public sealed class AbandonRateWindow
{
    // Bucket ids are absolute (ticks since 0001-01-01 / bucket length), so restored buckets land where they belong and
    // age out of the window on time.
    private readonly long _bucketTicks;
    private readonly long[] _bucketIds;
    private readonly int[] _answered;
    private readonly int[] _abandoned;
    private readonly double _priorAnswered;

    /// <param name="window">How far back the rate looks.</param>
    /// <param name="buckets">Resolution: the window slides one bucket at a time.</param>
    /// <param name="priorAnswered">Clean answered calls assumed on top of the real ones, so that a single abandon among
    /// the first few answers does not read as a 50% rate and stall the campaign. The raw counts stay available.</param>
    public AbandonRateWindow(TimeSpan window, int buckets = 60, double priorAnswered = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (window < TimeSpan.FromTicks(buckets))
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive and at least one tick per bucket.");
        }

        if (!(priorAnswered >= 0) || double.IsInfinity(priorAnswered))
        {
            throw new ArgumentOutOfRangeException(nameof(priorAnswered), priorAnswered, "priorAnswered must be a finite number, at least 0.");
        }

        _bucketTicks = window.Ticks / buckets;
        _bucketIds = new long[buckets];
        Array.Fill(_bucketIds, long.MinValue);
        _answered = new int[buckets];
        _abandoned = new int[buckets];
        _priorAnswered = priorAnswered;
    }

    /// <summary>A call answered by a person (every abandoned call is also recorded here first).</summary>
    /// <summary>The buckets holding counts; <see cref="Restore"/> puts them back into a window of the same shape.</summary>
    public AbandonBucket[] Buckets()
    {
        var buckets = new List<AbandonBucket>(_bucketIds.Length);
        for (var i = 0; i < _bucketIds.Length; i++)
        {
            if (_bucketIds[i] != long.MinValue && (_answered[i] > 0 || _abandoned[i] > 0))
            {
                buckets.Add(new AbandonBucket(_bucketIds[i], _answered[i], _abandoned[i]));
            }
        }

        return [.. buckets];
    }

    public void Restore(IEnumerable<AbandonBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        foreach (var bucket in buckets)
        {
            var index = (int)(((bucket.Id % _bucketIds.Length) + _bucketIds.Length) % _bucketIds.Length);
            if (bucket.Id >= _bucketIds[index])
            {
                _bucketIds[index] = bucket.Id;
                _answered[index] = bucket.Answered;
                _abandoned[index] = bucket.Abandoned;
            }
        }
    }

    public void RecordAnswered(DateTimeOffset at) => _answered[Bucket(at)]++;

    /// <summary>An answered call that got no agent within 2 seconds (FCC 47 CFR 64.1200(a)(7)).</summary>
    public void RecordAbandoned(DateTimeOffset at) => _abandoned[Bucket(at)]++;

    public int Answered(DateTimeOffset now) => Sum(_answered, now);

    public int Abandoned(DateTimeOffset now) => Sum(_abandoned, now);

    /// <summary>abandoned / (answered + prior) over the window ending at <paramref name="now"/>, in [0, 1].</summary>
    public double Rate(DateTimeOffset now)
    {
        int answered = Answered(now);
        int abandoned = Abandoned(now);
        double denominator = answered + _priorAnswered;
        return denominator <= 0 ? 0 : Math.Min(1.0, abandoned / denominator);
    }

    private int Bucket(DateTimeOffset at)
    {
        long id = at.UtcTicks / _bucketTicks;
        int index = (int)(id % _bucketIds.Length);
        if (_bucketIds[index] != id)
        {
            _bucketIds[index] = id;
            _answered[index] = 0;
            _abandoned[index] = 0;
        }

        return index;
    }

    private int Sum(int[] counts, DateTimeOffset now)
    {
        long newest = now.UtcTicks / _bucketTicks;
        long oldest = newest - _bucketIds.Length + 1;
        int sum = 0;
        for (int i = 0; i < _bucketIds.Length; i++)
        {
            long id = _bucketIds[i];
            if (id >= oldest && id <= newest)
            {
                sum += counts[i];
            }
        }

        return sum;
    }
}

/// <summary>One bucket of an <see cref="AbandonRateWindow"/>: its absolute id and its counts.</summary>
[GenerateSerializer]
[Immutable]
public readonly record struct AbandonBucket(long Id, int Answered, int Abandoned);
