using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Testing;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// Where /metrics is served, through real nodes on loopback: by default on the main port for this machine; with
/// Metrics:Url on a port of its own, which serves nothing else, while the main port no longer has it.
/// </summary>
public sealed class MetricsExposureTests
{
    [Fact(Timeout = 120_000)]
    public async Task By_default_the_main_port_serves_metrics_to_a_client_on_this_machine()
    {
        await using var node = await HostProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = node.BaseAddress };

        using var response = await client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("dialercluster_agents{state=\"ready\"}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task With_a_metrics_url_metrics_move_to_their_own_port_which_serves_nothing_else()
    {
        var metricsPort = PrometheusTools.FreeLoopbackPort();
        await using var node = await HostProcess.StartAsync(new Dictionary<string, string> { ["Metrics:Url"] = $"http://127.0.0.1:{metricsPort}" });
        using var main = new HttpClient { BaseAddress = node.BaseAddress };
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}/") };

        using var onMain = await main.GetAsync("metrics");
        using var onMetricsPort = await metrics.GetAsync("metrics");
        using var apiOnMetricsPort = await metrics.GetAsync("api/campaigns");
        using var healthOnMain = await main.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.NotFound, onMain.StatusCode);
        Assert.Equal(["path"], JsonDocument.Parse(await onMain.Content.ReadAsStringAsync()).RootElement.ProblemFields());
        Assert.Equal(HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("dialercluster_agents{state=\"ready\"}", await onMetricsPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthOnMain.StatusCode);
    }
}
