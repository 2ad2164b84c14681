using System.Text.Json;
using DialerCluster.Host.Cluster;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Orleans.Runtime;

namespace DialerCluster.Host.Tests.Cluster;

/// <summary>GET /api/cluster on one node (SQLite): the node itself, active, with its grains and its announced address.</summary>
public sealed class ClusterEndpointTests
{
    [Fact]
    public async Task One_node_lists_itself_active_with_its_activations_and_its_configured_http_address()
    {
        await using var node1 = new DialerApiFactory();
        await using var factory = node1.WithWebHostBuilder(b => b.UseSetting("Cluster:HttpAddress", "https://node-1.dialer.example"));
        using var admin = factory.CreateClient();
        var token = await admin.PostAsync("/api/auth/token", new { userName = DialerApiFactory.AdminUser, password = DialerApiFactory.AdminPassword });
        admin.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        await admin.PostAsync("/api/agents", new { name = "Counted" }, System.Net.HttpStatusCode.Created);

        var node = await EventuallyAsync(admin, n => n.GetProperty("httpAddress").ValueKind == JsonValueKind.String);

        Assert.Equal("active", node.GetProperty("status").GetString());
        Assert.True(node.GetProperty("self").GetBoolean());
        Assert.Equal("https://node-1.dialer.example", node.GetProperty("httpAddress").GetString());
        Assert.True(node.GetProperty("activations").GetInt32() > 0);
        Assert.Contains("@", node.GetProperty("silo").GetString(), StringComparison.Ordinal);
        Assert.True(node.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_bad_http_address_setting_stops_the_start_up_naming_the_key()
    {
        await using var node1 = new DialerApiFactory();
        await using var factory = node1.WithWebHostBuilder(b => b.UseSetting("Cluster:HttpAddress", "node-1:8080"));

        var refused = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains("Cluster:HttpAddress", refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SiloStatus.Created, "joining")]
    [InlineData(SiloStatus.Joining, "joining")]
    [InlineData(SiloStatus.Active, "active")]
    [InlineData(SiloStatus.ShuttingDown, "stopping")]
    [InlineData(SiloStatus.Stopping, "stopping")]
    [InlineData(SiloStatus.Dead, "dead")]
    public void A_silo_status_has_one_name_on_the_wire(SiloStatus status, string wire)
    {
        Assert.Equal(wire, ClusterNodeStatus.Of(status));
    }

    // The node's own address is announced once the server has started, a moment after the first request may arrive.
    private static async Task<JsonElement> EventuallyAsync(HttpClient client, Func<JsonElement, bool> ready)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var node = Assert.Single((await client.GetJsonAsync("/api/cluster")).GetProperty("nodes").EnumerateArray());
            if (ready(node) || DateTime.UtcNow > until)
            {
                return node;
            }

            await Task.Delay(50);
        }
    }
}
