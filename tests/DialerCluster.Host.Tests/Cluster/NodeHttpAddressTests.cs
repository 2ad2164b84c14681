using System.Net;
using DialerCluster.Host.Cluster;
using Microsoft.Extensions.Configuration;

namespace DialerCluster.Host.Tests.Cluster;

/// <summary>Which HTTP address a node announces to the others.</summary>
public sealed class NodeHttpAddressTests
{
    private static readonly IPAddress Advertised = IPAddress.Parse("10.0.0.7");

    [Theory]
    [InlineData("http://127.0.0.1:5001", "http://127.0.0.1:5001")]
    [InlineData("http://0.0.0.0:8080", "http://10.0.0.7:8080")]
    [InlineData("http://[::]:8080", "http://10.0.0.7:8080")]
    [InlineData("http://+:8080", "http://10.0.0.7:8080")]
    [InlineData("https://*:8443", "https://10.0.0.7:8443")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    [InlineData("http://127.0.0.1:5001/dialer/", "http://127.0.0.1:5001/dialer")]
    public void A_node_announces_the_address_it_listens_on_with_a_wildcard_host_replaced_by_its_advertised_address(string listening, string announced)
    {
        Assert.Equal(announced, NodeHttpAddress.Choose(null, [listening], Advertised));
    }

    [Fact]
    public void The_first_address_the_server_listens_on_is_announced_and_an_ipv6_advertised_address_is_bracketed()
    {
        Assert.Equal("http://[fd00::7]:80", NodeHttpAddress.Choose(null, ["http://[::]:80", "https://[::]:443"], IPAddress.Parse("fd00::7")));
        Assert.Null(NodeHttpAddress.Choose(null, [], Advertised));
    }

    [Fact]
    public void A_configured_address_wins_over_what_the_server_listens_on()
    {
        var configured = NodeHttpAddress.Configured(Settings("https://node-2.dialer.example/"));

        Assert.Equal("https://node-2.dialer.example", NodeHttpAddress.Choose(configured, ["http://0.0.0.0:8080"], Advertised));
        Assert.Null(NodeHttpAddress.Configured(Settings(null)));
    }

    [Theory]
    [InlineData("node-2:8080")]
    [InlineData("ftp://node-2")]
    [InlineData("/relative")]
    [InlineData("http://node-2:8080/?x=1")]
    [InlineData("http://user:secret@node-2:8080")]
    public void A_bad_configured_address_is_refused_naming_the_key(string value)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => NodeHttpAddress.Configured(Settings(value)));

        Assert.Contains("Cluster:HttpAddress", refused.Message, StringComparison.Ordinal);
        Assert.Contains(value, refused.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Settings(string? httpAddress) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:HttpAddress"] = httpAddress }).Build();
}
