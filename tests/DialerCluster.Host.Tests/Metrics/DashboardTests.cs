using System.Net;
using System.Text.Json.Nodes;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// The files in dashboards/: both dashboards import into Grafana with a data-source input, the scrape config and the
/// alert rules pass promtool, and every alert fires on synthetic series (promtool test rules). That every query returns
/// data from a node under traffic is <see cref="LiveDashboardTests"/>.
/// </summary>
public sealed class DashboardTests
{
    public static TheoryData<string> Dashboards => [.. GrafanaDashboard.Files];

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_imports_with_a_DS_PROMETHEUS_input_used_by_every_panel_and_query(string file)
    {
        var dashboard = GrafanaDashboard.Load(file).Json;

        Assert.True(dashboard["schemaVersion"]!.GetValue<int>() >= 38, "schemaVersion must be 38 or later");
        var input = dashboard["__inputs"]!.AsArray().Single()!;
        Assert.Equal(("DS_PROMETHEUS", "datasource", "prometheus"), (input["name"]!.GetValue<string>(), input["type"]!.GetValue<string>(), input["pluginId"]!.GetValue<string>()));
        var variable = dashboard["templating"]!["list"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "DS_PROMETHEUS")!;
        Assert.Equal("datasource", variable["type"]!.GetValue<string>());
        var panels = dashboard["panels"]!.AsArray().Where(p => p!["type"]!.GetValue<string>() != "row").ToList();
        Assert.True(panels.Count >= 6, $"{file} has {panels.Count} panels");
        Assert.Equal(panels.Count, panels.Select(p => p!["id"]!.GetValue<int>()).Distinct().Count());
        foreach (var panel in panels)
        {
            Assert.Equal("${DS_PROMETHEUS}", panel!["datasource"]!["uid"]!.GetValue<string>());
            Assert.NotEmpty(panel["targets"]!.AsArray());
            foreach (var target in panel["targets"]!.AsArray())
            {
                Assert.Equal("${DS_PROMETHEUS}", target!["datasource"]!["uid"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void The_live_dashboard_shows_what_a_supervisor_asked_for()
    {
        var queries = GrafanaDashboard.Load("contact-center-live.json").Panels().ToDictionary(p => p.Title);

        Assert.Contains("dialercluster_agents", queries["Agents by state"].Queries[0].Expr, StringComparison.Ordinal);
        Assert.Contains("rate(dialercluster_dial_attempts", queries["Ready leads run out in"].Queries[0].Expr, StringComparison.Ordinal);
        Assert.Equal(0.03, queries["Abandon % (24 h)"].Threshold);
        Assert.Equal(0.03, queries["Abandon % (30 days)"].Threshold);
        Assert.Equal(2, queries["Time to connect p99"].Threshold);
        Assert.Contains("histogram_quantile(0.99", queries["Time to connect p99"].Queries[0].Expr, StringComparison.Ordinal);
        Assert.Contains("Occupancy", queries.Keys);
        Assert.Contains("Answer %", queries.Keys);
        Assert.Contains("Dials per minute", queries.Keys);
    }

    [Fact]
    public void The_ops_dashboard_reads_Orleans_meters()
    {
        var orleans = GrafanaDashboard.All()
            .SelectMany(d => d.Panels().SelectMany(p => p.Queries.Where(q => q.Expr.Contains("microsoft_orleans_", StringComparison.Ordinal))))
            .Count();

        Assert.True(orleans >= 5, $"the ops dashboard reads Orleans's meters in {orleans} queries");
    }

    [Fact]
    public async Task Prometheus_scrape_config_passes_promtool()
    {
        var config = Path.Combine(PrometheusTools.RepositoryRoot(), "dashboards", "prometheus.yml");

        var check = await PrometheusTools.PromtoolAsync(["check", "config", config]);

        Assert.True(check.ExitCode == 0, check.Output);
        var text = await File.ReadAllTextAsync(config);
        Assert.Contains("metrics_path: /metrics", text, StringComparison.Ordinal);
        Assert.Contains("job_name: dialercluster", text, StringComparison.Ordinal);
        Assert.Contains("- alerts.yml", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_rules_pass_promtool_check_rules()
    {
        var rules = Path.Combine(PrometheusTools.RepositoryRoot(), "dashboards", "alerts.yml");

        var check = await PrometheusTools.PromtoolAsync(["check", "rules", rules]);

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("5 rules found", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_fires_on_synthetic_series_that_cross_its_line_and_not_below_it()
    {
        var tests = Path.Combine(PrometheusTools.RepositoryRoot(), "dashboards", "alerts.test.yml");

        var run = await PrometheusTools.PromtoolAsync(["test", "rules", tests]);

        Assert.True(run.ExitCode == 0, run.Output);
        var text = await File.ReadAllTextAsync(tests);
        foreach (var alert in AlertRules.Load())
        {
            Assert.Contains($"alertname: {alert.Name}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Prometheus_rejects_a_broken_query_so_a_query_check_can_fail()
    {
        await using var prometheus = await PrometheusServer.StartAsync();
        using var http = new HttpClient { BaseAddress = prometheus.Address, Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString("sum by (campaign (rate(dialercluster_dial_attempts[1m]))"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bad_data", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sum by (campaign) (rate(dialercluster_dial_attempts[1m]))", "dialercluster_dial_attempts")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket{route=\"a b\"}[5m])))", "x_seconds_bucket")]
    [InlineData("sum(rate(a_total[1m])) without (instance) / on (job) group_left (zone) b", "a_total,b")]
    [InlineData("rate(process_cpu_seconds_total[1m] offset 5m) > bool 0.5", "process_cpu_seconds_total")]
    [InlineData("up{job=~\"dial.*\"} or vector(1)", "up")]
    public void Metric_names_are_found_in_PromQL_and_labels_functions_and_keywords_are_not(string expression, string expected) =>
        Assert.Equal(expected.Split(','), PromQlMetricNames.Extract(expression));
}

/// <summary>An alert of dashboards/alerts.yml.</summary>
internal sealed record AlertRule(string Name, string Expr)
{
    /// <summary>The expression without its final comparison with a number: the signal the alert watches.</summary>
    public string Signal => System.Text.RegularExpressions.Regex.Replace(Expr, @"\s*(>=|<=|==|!=|>|<)\s*[0-9.]+\s*$", "");
}

internal static class AlertRules
{
    /// <summary>The rules file read line by line: "- alert: Name" then "expr: ...", one line each (as the file keeps them).</summary>
    public static IReadOnlyList<AlertRule> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(PrometheusTools.RepositoryRoot(), "dashboards", "alerts.yml"));
        var rules = new List<AlertRule>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("- alert:", StringComparison.Ordinal))
            {
                var expr = lines[i + 1].Trim();
                Assert.StartsWith("expr:", expr, StringComparison.Ordinal);
                rules.Add(new AlertRule(line["- alert:".Length..].Trim(), expr["expr:".Length..].Trim()));
            }
        }

        return rules;
    }
}
