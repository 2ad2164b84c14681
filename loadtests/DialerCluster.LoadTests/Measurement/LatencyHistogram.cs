using System.Numerics;

namespace DialerCluster.LoadTests.Measurement;

/// <summary>
/// Log-linear histogram of microseconds, 0 to 60 s, in the manner of HdrHistogram: exact below 128 µs, then 128
/// linear buckets per power of two, so a bucket is at most 1/128 of its lower bound wide and the midpoint we report
/// is within 0.4% of every value in it (2,688 buckets, 21 KB). Recording is lock-free (Interlocked), so any number
/// of copies can record into one histogram; readers see a value at most one in-flight record old.
/// </summary>
internal sealed class LatencyHistogram
{
    public static readonly TimeSpan MaxValue = TimeSpan.FromSeconds(60);

    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const long RangeMicros = 60_000_000;
    private static readonly int BucketCount = IndexOf(RangeMicros) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    public long Count => Volatile.Read(ref _count);

    public long MinMicros => Count == 0 ? 0 : Volatile.Read(ref _min);

    public long MaxMicros => Volatile.Read(ref _max);

    public double MeanMicros => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    /// <summary>Values above 60 s are recorded as 60 s and negative ones as 0.</summary>
    public void Record(long micros)
    {
        micros = Math.Clamp(micros, 0, RangeMicros);
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Add(ref _sum, micros);
        Interlocked.Increment(ref _count);
        var min = Volatile.Read(ref _min);
        while (micros < min && Interlocked.CompareExchange(ref _min, micros, min) != min)
        {
            min = Volatile.Read(ref _min);
        }

        var max = Volatile.Read(ref _max);
        while (micros > max && Interlocked.CompareExchange(ref _max, micros, max) != max)
        {
            max = Volatile.Read(ref _max);
        }
    }

    /// <summary>Nearest-rank percentile (the value at rank ceil(p/100 × n) of the sorted samples), within 0.4%.</summary>
    public long PercentileMicros(double percentile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(percentile, 0, 100) / 100 * count));
        long seen = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            seen += Volatile.Read(ref _counts[index]);
            if (seen >= rank)
            {
                var middle = LowerBoundOf(index) + ((WidthOf(index) - 1) / 2);
                return Math.Clamp(middle, MinMicros, MaxMicros);
            }
        }

        return MaxMicros;
    }

    /// <summary>Samples in buckets at or above the one holding <paramref name="micros"/> (so within 0.8% below it too).</summary>
    public long CountAtOrAbove(long micros)
    {
        long total = 0;
        for (var index = IndexOf(Math.Clamp(micros, 0, RangeMicros)); index < _counts.Length; index++)
        {
            total += Volatile.Read(ref _counts[index]);
        }

        return total;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < SubBucketCount)
        {
            return (int)micros;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - SubBucketBits;
        return SubBucketCount + (shift * SubBucketCount) + (int)((micros >> shift) - SubBucketCount);
    }

    internal static long LowerBoundOf(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = (index - SubBucketCount) / SubBucketCount;
        var sub = (index - SubBucketCount) % SubBucketCount;
        return (long)(SubBucketCount + sub) << shift;
    }

    internal static long WidthOf(int index) =>
        index < SubBucketCount ? 1 : 1L << ((index - SubBucketCount) / SubBucketCount);
}
