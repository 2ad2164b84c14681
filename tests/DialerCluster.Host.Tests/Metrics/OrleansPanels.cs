namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// Queries of the ops dashboard that read Orleans's meters (microsoft_orleans_*) but have no data yet, with why. The
/// live-traffic test skips exactly these; empty the list once they have data.
/// </summary>
internal static class OrleansPanels
{
    public const string MetricPrefix = "microsoft_orleans_";

    public static readonly IReadOnlyDictionary<string, string> AwaitingOrleans = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Grain storage write p99/A"] = "no grain keeps its state in Orleans's grain storage yet",
    };
}
