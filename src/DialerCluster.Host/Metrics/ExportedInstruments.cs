using System.Diagnostics.Metrics;
using DialerCluster.Dialing.Monitoring;

namespace DialerCluster.Host.Metrics;

/// <summary>
/// Which System.Diagnostics.Metrics instruments reach /metrics: the dialer's meter whole, and from the others only what
/// the dashboards in dashboards/ read. Every exported series costs memory on the node and in Prometheus.
/// </summary>
internal static class ExportedInstruments
{
    public const string AspNetCoreHosting = "Microsoft.AspNetCore.Hosting";
    public const string Orleans = "Microsoft.Orleans";

    /// <summary>Prometheus name: meter and instrument joined, lower case, every other character an underscore.</summary>
    private static readonly HashSet<(string Meter, string Instrument)> Listed =
    [
        // microsoft_aspnetcore_hosting_http_server_request_duration (seconds): HTTP p99.
        (AspNetCoreHosting, "http.server.request.duration"),

        // Orleans's meters (once the grains run on it): activations per node, grain calls, storage, membership.
        (Orleans, "orleans-catalog-activations"),
        (Orleans, "orleans-app-requests-latency"),
        (Orleans, "orleans-storage-read-latency"),
        (Orleans, "orleans-storage-write-latency"),
        (Orleans, "orleans-directory-ring-size"),
    ];

    private static readonly double[] Seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] Milliseconds = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private static readonly double[] Counts = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

    /// <param name="hostMeters">
    /// This host's meter factory: a meter another host in the same process created (tests run several) is not ours
    /// to export. Meters made without a factory (Scope null) are process-wide and taken as they are.
    /// </param>
    public static bool Accepts(Instrument instrument, IMeterFactory hostMeters)
    {
        var meter = instrument.Meter;
        return (meter.Scope is null || ReferenceEquals(meter.Scope, hostMeters))
            && (meter.Name == DialerMetrics.MeterName || Listed.Contains((meter.Name, instrument.Name)));
    }

    /// <summary>The instrument's advised bounds when it has them, else bounds that suit its unit.</summary>
    public static double[] Buckets(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        _ when instrument.Unit == "s" => Seconds,
        _ when instrument.Unit == "ms" => Milliseconds,
        _ => Counts,
    };
}
