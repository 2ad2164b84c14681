using System.Diagnostics.Metrics;

namespace DialerCluster.Host.Metrics;

/// <summary>What an instrument becomes in Prometheus: its type, how measurements combine, and histogram bounds.</summary>
internal readonly record struct InstrumentShape(PrometheusType Type, Aggregation Aggregation, double[]? Bounds)
{
    /// <summary>
    /// Default bounds for durations in seconds: 100 µs (an in-memory grain call) up to 10 s (a dial attempt
    /// or a slow database write).
    /// </summary>
    public static IReadOnlyList<double> DefaultSecondsBounds { get; } =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>OpenTelemetry's default explicit bounds, used when the unit is not seconds (e.g. milliseconds, bytes).</summary>
    public static IReadOnlyList<double> DefaultOtherBounds { get; } =
        [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static bool TryDescribe(Instrument instrument, out InstrumentShape shape)
    {
        InstrumentShape? found = null;
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            shape = default;
            return false;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            found = new InstrumentShape(PrometheusType.Counter, Aggregation.Sum, null);
        }
        else if (definition == typeof(UpDownCounter<>))
        {
            found = new InstrumentShape(PrometheusType.Gauge, Aggregation.Sum, null);
        }
        else if (definition == typeof(Gauge<>))
        {
            found = new InstrumentShape(PrometheusType.Gauge, Aggregation.LastValue, null);
        }
        else if (definition == typeof(ObservableCounter<>))
        {
            found = new InstrumentShape(PrometheusType.Counter, Aggregation.Observed, null);
        }
        else if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>))
        {
            found = new InstrumentShape(PrometheusType.Gauge, Aggregation.Observed, null);
        }
        else if (definition == typeof(Histogram<>))
        {
            found = new InstrumentShape(PrometheusType.Histogram, Aggregation.Histogram, HistogramBounds(instrument));
        }

        shape = found ?? default;
        return found is not null;
    }

    private static double[] HistogramBounds(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            _ => null,
        };

        // Bounds must be strictly increasing and finite for cumulative buckets; +Inf is always added by the series.
        var bounds = advised is { Length: > 0 }
            ? advised
            : [.. instrument.Unit == "s" ? DefaultSecondsBounds : DefaultOtherBounds];
        return [.. bounds.Where(double.IsFinite).Distinct().Order()];
    }
}
