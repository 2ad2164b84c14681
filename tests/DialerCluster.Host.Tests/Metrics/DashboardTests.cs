using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// Every query of the Grafana dashboard is valid PromQL (parsed by a real Prometheus) and reads only metric
/// names the real host exports; the Prometheus scrape config passes promtool.
/// </summary>
public sealed class DashboardTests : IClassFixture<DialerApiFactory>
{
    private const string DashboardFile = "dashboards/dialercluster-runtime.json";

    // The runtime's instruments as RuntimeMetrics declares them, so their names are in the scrape even before
    // any grain runs in the host; same kinds, so they share families with the runtime's own meter.
    private static readonly Meter RuntimeMeter = new("DialerCluster.Runtime");
    private static readonly Counter<long> Calls = RuntimeMeter.CreateCounter<long>("dialercluster.grain.calls", "{call}", "Grain calls completed, by grain type and outcome.");
    private static readonly Histogram<double> CallDuration = RuntimeMeter.CreateHistogram<double>("dialercluster.grain.call.duration", "s", "Grain call duration from arrival to completion, queueing included.");

    static DashboardTests()
    {
        RuntimeMeter.CreateObservableGauge("dialercluster.grain.activations", () => new Measurement<int>(3, new KeyValuePair<string, object?>("grain_type", "DashboardTestGrain")), "{activation}", "Live grain activations.");
        RuntimeMeter.CreateObservableGauge("dialercluster.grain.mailbox.length", () => new Measurement<int>(0, new KeyValuePair<string, object?>("grain_type", "DashboardTestGrain")), "{call}", "Calls waiting in grain mailboxes.");
    }

    private readonly DialerApiFactory _factory;

    public DashboardTests(DialerApiFactory factory) => _factory = factory;

    [Fact]
    public void Dashboard_is_provisionable_with_a_DS_PROMETHEUS_datasource_variable_used_by_every_panel()
    {
        var dashboard = LoadDashboard();

        Assert.True(dashboard["schemaVersion"]!.GetValue<int>() >= 38, "schemaVersion must be 38 or later");
        var variable = dashboard["templating"]!["list"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "DS_PROMETHEUS")!;
        Assert.Equal("datasource", variable["type"]!.GetValue<string>());
        Assert.Equal("prometheus", variable["query"]!.GetValue<string>());
        var panels = dashboard["panels"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() != "row").ToList();
        Assert.NotEmpty(panels);
        foreach (var panel in panels)
        {
            Assert.Equal("${DS_PROMETHEUS}", panel!["datasource"]!["uid"]!.GetValue<string>());
            foreach (var target in panel["targets"]!.AsArray())
            {
                Assert.Equal("${DS_PROMETHEUS}", target!["datasource"]!["uid"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task Every_dashboard_query_is_valid_PromQL_over_metric_names_the_host_exports()
    {
        var expressions = Expressions(LoadDashboard());
        Assert.Contains("sum by (grain_type) (rate(dialercluster_grain_calls_total[1m]))", expressions);
        Assert.Contains("histogram_quantile(0.99, sum by (le) (rate(dialercluster_grain_call_duration_seconds_bucket[5m])))", expressions);
        var exported = await ExportedSampleNamesAsync();

        var missing = new List<string>();
        foreach (var expression in expressions)
        {
            var names = PromQlMetricNames.Extract(expression);
            Assert.True(names.Count > 0, $"no metric name found in: {expression}");
            missing.AddRange(names.Where(name => !exported.Contains(name)).Select(name => $"{name} (in {expression})"));
        }

        Assert.True(missing.Count == 0, "metric names the host does not export:\n" + string.Join('\n', missing));

        await using var prometheus = await PrometheusServer.StartAsync();
        using var http = new HttpClient { BaseAddress = prometheus.Address, Timeout = TimeSpan.FromSeconds(10) };
        var rejected = new List<string>();
        foreach (var expression in expressions)
        {
            using var response = await http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(expression));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK || JsonNode.Parse(body)?["status"]?.GetValue<string>() != "success")
            {
                rejected.Add($"{expression}\n  -> {(int)response.StatusCode} {body}");
            }
        }

        Assert.True(rejected.Count == 0, "Prometheus rejected dashboard queries:\n" + string.Join('\n', rejected));
    }

    [Fact]
    public async Task Prometheus_rejects_a_broken_query_so_the_check_above_can_fail()
    {
        await using var prometheus = await PrometheusServer.StartAsync();
        using var http = new HttpClient { BaseAddress = prometheus.Address, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString("sum by (grain_type (rate(dialercluster_grain_calls_total[1m]))"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bad_data", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_scrape_config_passes_promtool()
    {
        var config = Path.Combine(PrometheusTools.RepositoryRoot(), "dashboards", "prometheus.yml");

        var check = await PrometheusTools.PromtoolAsync(["check", "config", config]);

        Assert.True(check.ExitCode == 0, check.Output);
        var text = await File.ReadAllTextAsync(config);
        Assert.Contains("metrics_path: /metrics", text, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:8080", text, StringComparison.Ordinal);
        Assert.Contains("scrape_interval: 5s", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sum by (grain_type) (rate(dialercluster_grain_calls_total[1m]))", "dialercluster_grain_calls_total")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket{route=\"a b\"}[5m])))", "x_seconds_bucket")]
    [InlineData("sum(rate(a_total[1m])) without (instance) / on (job) group_left (zone) b", "a_total,b")]
    [InlineData("rate(process_cpu_seconds_total[1m] offset 5m) > bool 0.5", "process_cpu_seconds_total")]
    [InlineData("up{job=~\"dial.*\"} or vector(1)", "up")]
    public void Metric_names_are_found_in_PromQL_and_labels_functions_and_keywords_are_not(string expression, string expected) =>
        Assert.Equal(expected.Split(','), PromQlMetricNames.Extract(expression));

    private static JsonNode LoadDashboard() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(PrometheusTools.RepositoryRoot(), DashboardFile)))
        ?? throw new InvalidOperationException($"{DashboardFile} is empty.");

    private static List<string> Expressions(JsonNode dashboard)
    {
        var found = new List<string>();
        Collect(dashboard, found);
        Assert.NotEmpty(found);
        return found;

        static void Collect(JsonNode? node, List<string> found)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "expr" && value is JsonValue expr)
                        {
                            found.Add(expr.GetValue<string>());
                        }
                        else
                        {
                            Collect(value, found);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Collect(item, found);
                    }

                    break;
            }
        }
    }

    /// <summary>Sample names (histograms as _bucket, _sum, _count) of the real host's scrape.</summary>
    private async Task<HashSet<string>> ExportedSampleNamesAsync()
    {
        using var client = _factory.CreateClient();
        (await client.GetAsync("/healthz")).Dispose();
        Calls.Add(1, new("grain_type", "DashboardTestGrain"), new("outcome", "ok"));
        CallDuration.Record(0.0002, new KeyValuePair<string, object?>("grain_type", "DashboardTestGrain"));

        var body = await client.GetStringAsync("/metrics");
        return [.. body.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])];
    }
}
