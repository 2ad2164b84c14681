using System.Net;
using DialerCluster.Host.Metrics;
using Microsoft.Extensions.Configuration;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>Who may read /metrics under each configuration (issue 15: internals are not readable by anyone).</summary>
public sealed class MetricsAccessTests
{
    private const string Token = "a-scrape-token-of-length";
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(15);
    private static readonly MetricsOptions Default = new(null, null, Sample);
    private static readonly MetricsOptions WithToken = new(null, Token, Sample);
    private static readonly MetricsOptions WithPort = new(new Uri("http://0.0.0.0:9464"), null, Sample);
    private static readonly MetricsOptions WithPortAndToken = new(new Uri("http://0.0.0.0:9464"), Token, Sample);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void By_default_a_client_on_this_machine_may_scrape(string address) =>
        Assert.Equal(MetricsVerdict.Serve, MetricsAccess.Decide(Default, 8080, IPAddress.Parse(address), null));

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("::ffff:10.0.0.5")]
    [InlineData("fe80::1")]
    [InlineData(null)]
    public void By_default_any_other_client_is_forbidden_even_with_some_bearer_token(string? address)
    {
        var remote = address is null ? null : IPAddress.Parse(address);

        Assert.Equal(MetricsVerdict.Forbidden, MetricsAccess.Decide(Default, 8080, remote, null));
        Assert.Equal(MetricsVerdict.Forbidden, MetricsAccess.Decide(Default, 8080, remote, "Bearer " + Token));
    }

    [Theory]
    [InlineData("Bearer " + Token)]
    [InlineData("bearer " + Token)]
    [InlineData("Bearer   " + Token + " ")]
    public void With_a_token_whoever_sends_it_may_scrape(string authorization)
    {
        Assert.Equal(MetricsVerdict.Serve, MetricsAccess.Decide(WithToken, 8080, IPAddress.Parse("10.0.0.5"), authorization));
        Assert.Equal(MetricsVerdict.Serve, MetricsAccess.Decide(WithToken, 8080, IPAddress.Loopback, authorization));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Token)]
    [InlineData("Basic " + Token)]
    [InlineData("Bearer " + Token + "x")]
    [InlineData("Bearer a-scrape-token-of-lengtH")]
    [InlineData("Bearer ")]
    public void With_a_token_a_request_without_it_is_unauthorized_even_from_this_machine(string? authorization) =>
        Assert.Equal(MetricsVerdict.Unauthorized, MetricsAccess.Decide(WithToken, 8080, IPAddress.Loopback, authorization));

    [Fact]
    public void With_a_metrics_port_the_main_port_has_no_metrics_and_the_metrics_port_serves_any_client()
    {
        Assert.Equal(MetricsVerdict.NotFound, MetricsAccess.Decide(WithPort, 8080, IPAddress.Loopback, null));
        Assert.Equal(MetricsVerdict.NotFound, MetricsAccess.Decide(WithPortAndToken, 8080, IPAddress.Loopback, "Bearer " + Token));
        Assert.Equal(MetricsVerdict.Serve, MetricsAccess.Decide(WithPort, 9464, IPAddress.Parse("10.0.0.5"), null));
    }

    [Fact]
    public void With_a_metrics_port_and_a_token_the_metrics_port_still_wants_the_token()
    {
        Assert.Equal(MetricsVerdict.Unauthorized, MetricsAccess.Decide(WithPortAndToken, 9464, IPAddress.Loopback, null));
        Assert.Equal(MetricsVerdict.Serve, MetricsAccess.Decide(WithPortAndToken, 9464, IPAddress.Parse("10.0.0.5"), "Bearer " + Token));
    }

    [Theory]
    [InlineData("Url", "9464", "Metrics:Url")]
    [InlineData("Url", "ftp://0.0.0.0:9464", "Metrics:Url")]
    [InlineData("Url", "http://0.0.0.0", "Metrics:Url")]
    [InlineData("Url", "http://0.0.0.0:9464/metrics", "Metrics:Url")]
    [InlineData("ScrapeToken", "short", "Metrics:ScrapeToken")]
    [InlineData("SampleSeconds", "0", "Metrics:SampleSeconds")]
    [InlineData("SampleSeconds", "7200", "Metrics:SampleSeconds")]
    public void A_bad_setting_stops_start_up_naming_its_key(string key, string value, string named)
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Metrics:{key}"] = value }).Build().GetSection("Metrics");

        var error = Assert.Throws<InvalidOperationException>(() => MetricsOptions.FromConfiguration(section));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_read_with_their_defaults()
    {
        var empty = new ConfigurationBuilder().Build().GetSection("Metrics");
        var set = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Url"] = "http://0.0.0.0:9464",
            ["Metrics:ScrapeToken"] = " " + Token + " ",
            ["Metrics:SampleSeconds"] = "2",
        }).Build().GetSection("Metrics");

        Assert.Equal(Default, MetricsOptions.FromConfiguration(empty));
        Assert.Equal(new MetricsOptions(new Uri("http://0.0.0.0:9464"), Token, TimeSpan.FromSeconds(2)), MetricsOptions.FromConfiguration(set));
    }
}
