using System.Diagnostics.Metrics;
using Prometheus;

namespace DialerCluster.Host.Metrics;

/// <summary>
/// This host's Prometheus registry: process figures (CPU, memory, GC) and prometheus-net's meter adapter over
/// <see cref="ExportedInstruments"/>. A registry per host, not prometheus-net's process-wide default, so that two hosts
/// in one process (tests) each serve their own figures.
/// </summary>
/// <remarks>
/// The adapter exports .NET counters as Prometheus gauges without a _total suffix (a .NET counter can be created again
/// and restart from zero, so it does not promise monotony); rate() and increase() read them as counters all the same.
/// A series no instrument touched for <see cref="ExpireAfter"/> leaves the scrape.
/// </remarks>
internal sealed class PrometheusExport : IDisposable
{
    public static readonly TimeSpan ExpireAfter = TimeSpan.FromHours(1);

    private readonly IDisposable _adapter;

    public PrometheusExport(IMeterFactory meters)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ExportedInstruments.Accepts(instrument, meters),
            ResolveHistogramBuckets = ExportedInstruments.Buckets,
            MetricsExpireAfter = ExpireAfter,
        });
    }

    public CollectorRegistry Registry { get; }

    public void Dispose() => _adapter.Dispose();
}
