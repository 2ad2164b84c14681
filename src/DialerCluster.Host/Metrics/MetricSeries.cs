using System.Text;

namespace DialerCluster.Host.Metrics;

/// <summary>
/// One labelled series of a family. Recording is lock-free (Interlocked per cell) because it runs on the
/// grain-call hot path; reading happens at scrape time and tolerates a measurement landing mid-read.
/// </summary>
internal abstract class MetricSeries(string labels)
{
    /// <summary>Rendered label list without braces, e.g. <c>grain_type="Campaign",outcome="ok"</c>.</summary>
    public string Labels { get; } = labels;

    /// <summary>Set when an observable instrument reported this series during the current scrape.</summary>
    public bool Observed { get; set; }

    public abstract void Record(long value);

    public abstract void Record(double value);

    public abstract void AppendSamples(StringBuilder builder, string name);

    protected static void AddDouble(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>Counter and UpDownCounter: a running sum. Integer adds stay exact in a long.</summary>
internal sealed class SumSeries(string labels, bool monotonic) : MetricSeries(labels)
{
    private long _longSum;
    private double _doubleSum;

    public override void Record(long value)
    {
        // A Prometheus counter never goes down (rate() would read a reset); a negative add is a caller bug, dropped.
        if (monotonic && value < 0)
        {
            return;
        }

        Interlocked.Add(ref _longSum, value);
    }

    public override void Record(double value)
    {
        if (double.IsNaN(value) || (monotonic && value < 0))
        {
            return;
        }

        AddDouble(ref _doubleSum, value);
    }

    public override void AppendSamples(StringBuilder builder, string name)
    {
        PrometheusText.AppendSampleStart(builder, name, Labels);
        var longSum = Volatile.Read(ref _longSum);
        var doubleSum = Volatile.Read(ref _doubleSum);
        if (doubleSum == 0)
        {
            PrometheusText.AppendNumber(builder, longSum);
        }
        else
        {
            PrometheusText.AppendNumber(builder, longSum + doubleSum);
        }

        builder.Append('\n');
    }
}

/// <summary>Gauge and every observable instrument: the last value reported wins.</summary>
internal sealed class LastValueSeries(string labels) : MetricSeries(labels)
{
    private double _value;

    public override void Record(long value) => Volatile.Write(ref _value, value);

    public override void Record(double value) => Volatile.Write(ref _value, value);

    public override void AppendSamples(StringBuilder builder, string name)
    {
        PrometheusText.AppendSampleStart(builder, name, Labels);
        PrometheusText.AppendNumber(builder, Volatile.Read(ref _value));
        builder.Append('\n');
    }
}

/// <summary>
/// Explicit-bucket histogram. Buckets are stored per interval and summed into cumulative counts at scrape
/// time; <c>_count</c> is that same sum, so the <c>+Inf</c> bucket always equals <c>_count</c> even while
/// measurements keep arriving.
/// </summary>
internal sealed class HistogramSeries : MetricSeries
{
    private readonly double[] _bounds;
    private readonly string[] _leLabels;
    private readonly long[] _counts;
    private double _sum;

    public HistogramSeries(string labels, double[] bounds, string[] leLabels)
        : base(labels)
    {
        _bounds = bounds;
        _leLabels = leLabels;
        _counts = new long[bounds.Length + 1];
    }

    public override void Record(long value) => Record((double)value);

    public override void Record(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        // Upper bounds are inclusive (le = "less or equal"); a linear scan beats a binary search at ~16 bounds.
        var bounds = _bounds;
        var index = 0;
        while (index < bounds.Length && value > bounds[index])
        {
            index++;
        }

        Interlocked.Increment(ref _counts[index]);
        AddDouble(ref _sum, value);
    }

    public override void AppendSamples(StringBuilder builder, string name)
    {
        var cumulative = 0L;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            PrometheusText.AppendSampleStart(builder, name + "_bucket", Labels, _leLabels[i]);
            PrometheusText.AppendNumber(builder, cumulative);
            builder.Append('\n');
        }

        PrometheusText.AppendSampleStart(builder, name + "_sum", Labels);
        PrometheusText.AppendNumber(builder, Volatile.Read(ref _sum));
        builder.Append('\n');
        PrometheusText.AppendSampleStart(builder, name + "_count", Labels);
        PrometheusText.AppendNumber(builder, cumulative);
        builder.Append('\n');
    }
}
