using System.Diagnostics.Metrics;
using System.Net;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>The real host's /healthz and /metrics, the scrape checked by promtool.</summary>
public sealed class MetricsEndpointTests : IClassFixture<DialerApiFactory>
{
    private static readonly Meter TestMeter = new("DialerCluster.Tests");
    private static readonly Counter<long> Dialed = TestMeter.CreateCounter<long>("dialercluster.tests.endpoint.dialed", "{call}", "Calls dialed by the endpoint test.");
    private static readonly Histogram<double> Ringing = TestMeter.CreateHistogram<double>("dialercluster.tests.endpoint.ringing", "s", "Ringing time in the endpoint test.");
    private static readonly UpDownCounter<long> Waiting = TestMeter.CreateUpDownCounter<long>("dialercluster.tests.endpoint.waiting", "{case}", "Cases waiting in the endpoint test.");

    private readonly DialerApiFactory _factory;

    public MetricsEndpointTests(DialerApiFactory factory) => _factory = factory;

    [Fact]
    public async Task Healthz_answers_200()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_is_Prometheus_text_0_0_4_that_promtool_accepts()
    {
        using var client = _factory.CreateClient();
        (await client.GetAsync("/healthz")).Dispose();
        Dialed.Add(3, new("campaign", "spring \"leads\""), new("outcome", "answered"));
        Dialed.Add(1, new("campaign", "spring \"leads\""), new("outcome", "busy"));
        Ringing.Record(4.2, new KeyValuePair<string, object?>("campaign", "spring"));
        Ringing.Record(0.8, new KeyValuePair<string, object?>("campaign", "spring"));
        Waiting.Add(7);

        using var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("dialercluster_tests_endpoint_dialed_total{campaign=\"spring \\\"leads\\\"\",outcome=\"answered\"} 3\n", body, StringComparison.Ordinal);
        Assert.Contains("dialercluster_tests_endpoint_ringing_seconds_count{campaign=\"spring\"} 2\n", body, StringComparison.Ordinal);
        Assert.Contains("dialercluster_tests_endpoint_waiting 7\n", body, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", body, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total ", body, StringComparison.Ordinal);
        Assert.Contains("process_resident_memory_bytes ", body, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_heap_size_bytes ", body, StringComparison.Ordinal);

        var check = await PrometheusTools.PromtoolAsync(["check", "metrics"], body);
        Assert.True(check.ExitCode == 0 && check.StandardError.Trim().Length == 0, $"promtool check metrics complained:\n{check.Output}\n--- scrape ---\n{body}");
    }

    [Fact]
    public async Task Scrapes_of_metrics_are_left_out_of_the_request_duration_histogram()
    {
        using var client = _factory.CreateClient();
        (await client.GetAsync("/metrics")).Dispose();

        var body = await client.GetStringAsync("/metrics");

        Assert.DoesNotContain("http_route=\"/metrics\"", body, StringComparison.Ordinal);
    }
}
