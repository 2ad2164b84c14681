using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Testing;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// A real node on loopback (simulated carrier, agents working over HTTP) scraped every second by a real Prometheus;
/// then every dashboard query and every alert expression is run against that Prometheus and must return series, and
/// each dashboard is drawn from the answers into a PNG (TestResults/dashboards/).
/// </summary>
public sealed class LiveDashboardTests(ITestOutputHelper output)
{
    private const string ScrapeToken = "live-dashboard-scrape-token";

    /// <summary>
    /// Alerts whose condition this run does not create, with why; their signal (the expression without its threshold)
    /// must still return series. The other alerts fire here for real: the power campaign abandons calls, the campaigns
    /// run out of leads, and the second target is a node that is down.
    /// </summary>
    private static readonly Dictionary<string, string> NotFiringHere = new(StringComparer.Ordinal)
    {
        ["NextCaseSlow"] = "a preview Next case answers in milliseconds on this node",
        ["PacingFailing"] = "every pacing step succeeds on a healthy node (its failures read 0)",
    };

    public static string PictureFolder => Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboards");

    [Fact(Timeout = 300_000)]
    public async Task Every_dashboard_query_and_alert_expression_returns_series_from_a_node_under_traffic()
    {
        await using var node = await HostProcess.StartAsync(new Dictionary<string, string>
        {
            ["Metrics:ScrapeToken"] = ScrapeToken,
            ["Metrics:SampleSeconds"] = "1",
            ["Telephony:Simulated:Seed"] = "11",
            ["Telephony:Simulated:AnswerRate"] = "0.6",
            ["Telephony:Simulated:MachineRate"] = "0.1",
            ["Telephony:Simulated:BusyRate"] = "0.1",
            ["Telephony:Simulated:FailureRate"] = "0.02",
            ["Telephony:Simulated:RingSeconds"] = "1",
            ["Telephony:Simulated:TalkSeconds"] = "4",
            ["Telephony:Simulated:PostDialSeconds"] = "0.1",
        });
        var nodeDown = $"127.0.0.1:{PrometheusTools.FreeLoopbackPort()}";
        await using var prometheus = await PrometheusServer.StartAsync($"""
              - job_name: dialercluster
                metrics_path: /metrics
                authorization:
                  credentials: {ScrapeToken}
                static_configs:
                  - targets: ["{node.BaseAddress.Authority}", "{nodeDown}"]

            """);
        using var http = new HttpClient { BaseAddress = prometheus.Address, Timeout = TimeSpan.FromSeconds(30) };
        var start = DateTimeOffset.UtcNow;

        await CallCenterTraffic.RunAsync(node.Admin, TimeSpan.FromSeconds(40));

        var dashboards = GrafanaDashboard.All().ToList();
        var queries = dashboards.SelectMany(d => d.Panels().SelectMany(p => p.Queries.Select(q => (Key: p.KeyOf(q), q.Expr, q.Legend)))).ToList();
        var alerts = AlertRules.Load();
        Assert.Equal(5, alerts.Count);
        List<(string Key, string Expr)> checks =
        [
            .. queries.Select(q => (q.Key, q.Expr)),
            .. alerts.Select(a => ($"alert {a.Name}", NotFiringHere.ContainsKey(a.Name) ? a.Signal : a.Expr)),
        ];

        // Prometheus scrapes every second and the node samples its figures every second: wait until all are in.
        var results = new Dictionary<string, IReadOnlyList<ChartSeries>>(StringComparer.Ordinal);
        var empty = checks.Select(c => c.Key).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (empty.Count > 0 && DateTime.UtcNow < deadline)
        {
            empty.Clear();
            foreach (var (key, expr) in checks)
            {
                var series = await QueryRangeAsync(http, expr, queries.FirstOrDefault(q => q.Key == key).Legend ?? "", start, DateTimeOffset.UtcNow);
                results[key] = series;
                if (series.Count == 0)
                {
                    empty.Add(key);
                }
            }

            if (empty.Count > 0)
            {
                await Task.Delay(1000);
            }
        }

        Assert.True(empty.Count == 0, await WhyEmptyAsync(empty, checks, node));
        output.WriteLine($"{checks.Count} queries returned series.");

        Directory.CreateDirectory(PictureFolder);
        foreach (var dashboard in dashboards)
        {
            var panels = dashboard.Panels();
            var html = Path.Combine(PictureFolder, Path.ChangeExtension(dashboard.File, ".html"));
            var png = Path.ChangeExtension(html, ".png");
            File.Delete(png);
            await File.WriteAllTextAsync(html, DashboardPicture.Html(dashboard.Title, panels, results, $"{start:yyyy-MM-dd HH:mm} UTC, one node, simulated carrier, drawn from Prometheus by the test"));
            await ChromiumPackage.ScreenshotAsync(html, png, DashboardPicture.Width, DashboardPicture.HeightOf(panels));
            Assert.True(new FileInfo(png).Length > 10_000, $"{png} is suspiciously small");
            output.WriteLine($"{dashboard.Title}: {png}");
        }
    }

    private static async Task<IReadOnlyList<ChartSeries>> QueryRangeAsync(HttpClient http, string expr, string legend, DateTimeOffset from, DateTimeOffset to)
    {
        var url = string.Create(
            CultureInfo.InvariantCulture,
            $"api/v1/query_range?query={Uri.EscapeDataString(expr)}&start={from.ToUnixTimeSeconds()}&end={to.ToUnixTimeSeconds()}&step=2");
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Prometheus refused {expr}: {(int)response.StatusCode} {body}");
        var answer = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("result");
        return
        [
            .. answer.EnumerateArray().Select(series =>
            {
                var labels = series.GetProperty("metric");
                var name = Regex.Replace(legend, @"\{\{\s*(\w+)\s*\}\}", m => labels.TryGetProperty(m.Groups[1].Value, out var value) ? value.GetString() ?? "" : "");
                var points = series.GetProperty("values").EnumerateArray()
                    .Select(v => (v[0].GetDouble(), SampleValue(v[1].GetString()!)))
                    .ToList();
                return new ChartSeries(name.Length > 0 ? name : labels.ToString(), points);
            }),
        ];
    }

    /// <summary>Prometheus writes infinities as +Inf and -Inf (a runway with nothing dialed is +Inf minutes).</summary>
    private static double SampleValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>For a failure: which metric names of the empty queries the node does not export at all.</summary>
    private static async Task<string> WhyEmptyAsync(List<string> empty, List<(string Key, string Expr)> checks, HostProcess node)
    {
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "metrics");
        scrape.Headers.Authorization = new("Bearer", ScrapeToken);
        using var response = await node.Admin.SendAsync(scrape);
        var text = await response.Content.ReadAsStringAsync();
        var lines = empty.Select(key =>
        {
            var expr = checks.First(c => c.Key == key).Expr;
            var missing = PromQlMetricNames.Extract(expr).Where(name => name != "up" && !text.Contains("\n" + name, StringComparison.Ordinal));
            return $"{key}: {expr}\n    not in the node's scrape: {string.Join(", ", missing)}";
        });
        return $"queries without series:\n{string.Join('\n', lines)}\n--- node output ---\n{node.Output}";
    }
}
