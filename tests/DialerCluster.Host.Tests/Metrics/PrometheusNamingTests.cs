using DialerCluster.Host.Metrics;

namespace DialerCluster.Host.Tests.Metrics;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("dialercluster.grain.calls", "{call}", "Counter", "dialercluster_grain_calls_total")]
    [InlineData("dialercluster.grain.call.duration", "s", "Histogram", "dialercluster_grain_call_duration_seconds")]
    [InlineData("dialercluster.grain.activations", "{activation}", "Gauge", "dialercluster_grain_activations")]
    [InlineData("dialercluster.grain.mailbox.length", "{call}", "Gauge", "dialercluster_grain_mailbox_length")]
    [InlineData("http.server.request.duration", "s", "Histogram", "http_server_request_duration_seconds")]
    [InlineData("dialercluster.storage.written", "By", "Counter", "dialercluster_storage_written_bytes_total")]
    [InlineData("dialercluster.case.form.size", "KiBy", "Gauge", "dialercluster_case_form_size_kibibytes")]
    [InlineData("dialercluster.dial.latency", "ms", "Histogram", "dialercluster_dial_latency_milliseconds")]
    [InlineData("dialercluster.agents.utilization", "1", "Gauge", "dialercluster_agents_utilization_ratio")]
    [InlineData("dialercluster.cases.dialed", "1", "Counter", "dialercluster_cases_dialed_total")]
    [InlineData("dialercluster.sip.rate", "{packet}/s", "Gauge", "dialercluster_sip_rate_per_second")]
    [InlineData("dialercluster.network.io", "By/s", "Gauge", "dialercluster_network_io_bytes_per_second")]
    [InlineData("dialercluster.wrapup.seconds", "s", "Histogram", "dialercluster_wrapup_seconds")]
    [InlineData("dialercluster.calls.total", "", "Counter", "dialercluster_calls_total")]
    [InlineData("dialercluster.queue.total", "", "Gauge", "dialercluster_queue")]
    [InlineData("DialerCluster.NextCase-latency", null, "Gauge", "dialer_cluster_next_case_latency")]
    [InlineData("abandoned:rate", null, "Gauge", "abandoned_rate")]
    [InlineData("9lives", null, "Gauge", "_9lives")]
    public void Instrument_names_follow_the_OpenTelemetry_Prometheus_conversion(string instrument, string? unit, string type, string expected) =>
        Assert.Equal(expected, PrometheusNaming.MetricName(instrument, unit, Enum.Parse<PrometheusType>(type)));

    [Theory]
    [InlineData("grain_type", "grain_type")]
    [InlineData("http.request.method", "http_request_method")]
    [InlineData("grainType", "grain_type")]
    [InlineData("__reserved", "_reserved")]
    [InlineData("1st", "_1st")]
    [InlineData("a-b c", "a_b_c")]
    [InlineData("", "_")]
    public void Tag_keys_become_valid_snake_case_label_names(string tag, string expected) =>
        Assert.Equal(expected, PrometheusNaming.LabelName(tag));
}
