using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace DialerCluster.Host.Metrics;

/// <summary>
/// Listens to System.Diagnostics.Metrics instruments and keeps their aggregates for the Prometheus scrape.
/// The hot path (a grain call adding to a counter and recording a duration) touches only the family handed
/// back as the listener's state and a lock-free series cell; everything else happens at scrape time.
/// </summary>
internal sealed partial class MetricsCollector : IDisposable
{
    /// <summary>ASP.NET Core's request metrics (http.server.request.duration), per host container.</summary>
    public const string AspNetCoreHostingMeter = "Microsoft.AspNetCore.Hosting";

    private readonly MeterListener _listener = new();
    private readonly Func<Meter, bool> _accept;
    private readonly object? _meterScope;
    private readonly ProcessMetrics? _process;
    private readonly ILogger _logger;
    private readonly Lock _registryGate = new();
    private readonly Lock _scrapeGate = new();
    private readonly Dictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly StringBuilder _text = new(16 * 1024);
    private MetricFamily[] _sortedFamilies = [];

    /// <param name="accept">Which meters to listen to.</param>
    /// <param name="meterScope">
    /// The host's IMeterFactory: a meter created by another container's factory (another host in the same
    /// process, as in tests) is skipped so two hosts never report each other's requests.
    /// </param>
    /// <param name="process">Process and GC figures appended to every scrape, or null for none.</param>
    public MetricsCollector(Func<Meter, bool> accept, object? meterScope = null, ProcessMetrics? process = null, ILogger? logger = null)
    {
        _accept = accept;
        _meterScope = meterScope;
        _process = process;
        _logger = logger ?? NullLogger.Instance;
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = OnMeasurementsCompleted;
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricFamily)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>The default meters of a DialerCluster node: ours ("DialerCluster*") and ASP.NET Core's request metrics.</summary>
    public static bool IsDialerClusterMeter(Meter meter) =>
        meter.Name.StartsWith("DialerCluster", StringComparison.Ordinal)
        || string.Equals(meter.Name, AspNetCoreHostingMeter, StringComparison.Ordinal);

    /// <summary>Collects observable instruments and renders the whole exposition (text format 0.0.4).</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            var families = Volatile.Read(ref _sortedFamilies);
            foreach (var family in families)
            {
                if (family.Aggregation == Aggregation.Observed)
                {
                    family.BeginObservation();
                }
            }

            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException exception)
            {
                // One faulty callback must not take the whole scrape down; the others have reported already.
                LogObservableCallbackFailed(exception);
            }

            _text.Clear();
            foreach (var family in families)
            {
                family.AppendTo(_text);
            }

            _process?.AppendTo(_text);
            return _text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if (!_accept(meter) || (meter.Scope is not null && _meterScope is not null && !ReferenceEquals(meter.Scope, _meterScope)))
        {
            return;
        }

        if (!InstrumentShape.TryDescribe(instrument, out var shape))
        {
            LogUnsupportedInstrument(instrument.Name, instrument.GetType().Name);
            return;
        }

        var name = PrometheusNaming.MetricName(instrument.Name, instrument.Unit, shape.Type);
        MetricFamily family;
        lock (_registryGate)
        {
            if (_families.TryGetValue(name, out var existing))
            {
                if (existing.Type != shape.Type || existing.Aggregation != shape.Aggregation)
                {
                    // Two instruments would write one family with two meanings: keep the first, the scrape stays valid.
                    LogConflictingInstrument(instrument.Name, meter.Name, name);
                    return;
                }

                family = existing;
            }
            else
            {
                var help = string.IsNullOrWhiteSpace(instrument.Description)
                    ? $"{instrument.Name} ({meter.Name})"
                    : instrument.Description;
                family = new MetricFamily(name, help, shape.Type, shape.Aggregation, shape.Bounds);
                _families.Add(name, family);
                PublishSorted();
            }

            family.InstrumentCount++;
        }

        listener.EnableMeasurementEvents(instrument, family);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not MetricFamily family)
        {
            return;
        }

        lock (_registryGate)
        {
            family.InstrumentCount--;
            if (family.InstrumentCount <= 0 && _families.Remove(family.Name))
            {
                PublishSorted();
            }
        }
    }

    private void PublishSorted()
    {
        var sorted = _families.Values.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        Volatile.Write(ref _sortedFamilies, sorted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An observable instrument's callback failed during a metrics scrape")]
    private partial void LogObservableCallbackFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instrument {Instrument} of type {Type} is not exported to Prometheus")]
    private partial void LogUnsupportedInstrument(string instrument, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instrument {Instrument} of meter {Meter} maps to Prometheus metric {Metric}, already taken by an instrument of another kind; it is not exported")]
    private partial void LogConflictingInstrument(string instrument, string meter, string metric);
}
