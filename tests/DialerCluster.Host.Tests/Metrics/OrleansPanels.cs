namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// Queries of the ops dashboard that read Orleans's meters (microsoft_orleans_*): they return series once the grains
/// run on Orleans. Until then the live-traffic test skips exactly these (and checks that the list is exact); when
/// Orleans lands, empty this list.
/// </summary>
internal static class OrleansPanels
{
    public const string MetricPrefix = "microsoft_orleans_";

    public static readonly IReadOnlySet<string> AwaitingOrleans = new HashSet<string>(StringComparer.Ordinal)
    {
        "Silos in the cluster/A",
        "Activations per node/A",
        "Grain calls per second/A",
        "Grain call latency (mean)/A",
        "Grain storage write p99/A",
        "Membership changes (15 min)/B",
    };
}
