using System.Text.Json.Nodes;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>A query of a panel: its refId ("A"), PromQL and legend format ("campaign {{campaign}}").</summary>
internal sealed record PanelQuery(string RefId, string Expr, string Legend);

/// <summary>A Grafana panel as the tests read it: where it sits on the 24-column grid, what it shows, its queries.</summary>
internal sealed record DashboardPanel(string Title, string Type, string Unit, double? Threshold, int X, int Y, int Width, int Height, IReadOnlyList<PanelQuery> Queries)
{
    public string KeyOf(PanelQuery query) => $"{Title}/{query.RefId}";
}

/// <summary>One dashboard JSON file of dashboards/.</summary>
internal sealed record GrafanaDashboard(string File, JsonNode Json)
{
    public static readonly string[] Files = ["contact-center-live.json", "cluster-and-runtime.json"];

    public string Title => Json["title"]!.GetValue<string>();

    public static IEnumerable<GrafanaDashboard> All() => Files.Select(Load);

    public static GrafanaDashboard Load(string file)
    {
        var path = Path.Combine(PrometheusTools.RepositoryRoot(), "dashboards", file);
        return new GrafanaDashboard(file, JsonNode.Parse(System.IO.File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path} is empty."));
    }

    /// <summary>Every panel but the rows.</summary>
    public IReadOnlyList<DashboardPanel> Panels() =>
    [
        .. Json["panels"]!.AsArray()
            .Where(p => p!["type"]!.GetValue<string>() != "row")
            .Select(p =>
            {
                var defaults = p!["fieldConfig"]?["defaults"];
                var steps = defaults?["thresholds"]?["steps"]?.AsArray();
                var grid = p["gridPos"]!;
                return new DashboardPanel(
                    p["title"]!.GetValue<string>(),
                    p["type"]!.GetValue<string>(),
                    defaults?["unit"]?.GetValue<string>() ?? "short",
                    steps is { Count: > 1 } ? steps[^1]!["value"]!.GetValue<double>() : null,
                    grid["x"]!.GetValue<int>(),
                    grid["y"]!.GetValue<int>(),
                    grid["w"]!.GetValue<int>(),
                    grid["h"]!.GetValue<int>(),
                    [.. p["targets"]!.AsArray().Select(t => new PanelQuery(
                        t!["refId"]!.GetValue<string>(), t["expr"]!.GetValue<string>(), t["legendFormat"]?.GetValue<string>() ?? ""))]);
            }),
    ];
}
