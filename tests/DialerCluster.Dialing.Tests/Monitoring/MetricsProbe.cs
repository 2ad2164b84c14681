using System.Diagnostics.Metrics;

namespace DialerCluster.Dialing.Tests.Monitoring;

/// <summary>Every measurement of the dialer's meter made through one world's meter factory (other tests' worlds are not heard).</summary>
internal sealed class MetricsProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, string> Tags)> _measurements = [];

    public MetricsProbe(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == Dialing.Monitoring.DialerMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    /// <summary>Sum of a counter's adds whose tags include all those given.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Matching(instrument, tags).Sum(m => m.Value);

    public int Count(string instrument, params (string Key, string Value)[] tags) => Matching(instrument, tags).Count();

    public IReadOnlyList<double> Values(string instrument, params (string Key, string Value)[] tags) => [.. Matching(instrument, tags).Select(m => m.Value)];

    /// <summary>What the observable gauges report now (as a scrape would read them).</summary>
    public IReadOnlyList<(double Value, Dictionary<string, string> Tags)> Observe(string instrument)
    {
        int from;
        lock (_measurements)
        {
            from = _measurements.Count;
        }

        _listener.RecordObservableInstruments();
        lock (_measurements)
        {
            return [.. _measurements.Skip(from).Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];
        }
    }

    public void Dispose() => _listener.Dispose();

    private List<(string Instrument, double Value, Dictionary<string, string> Tags)> Matching(string instrument, (string Key, string Value)[] tags)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value))];
        }
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }
}
