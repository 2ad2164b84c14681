using System.Net;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>The first admin and the demo users, as a node creates them on start.</summary>
public sealed class UserBootstrapTests
{
    [Fact]
    public async Task A_restart_with_another_admin_password_does_not_reset_the_admin()
    {
        await using var first = new DialerApiFactory();
        using (var admin = await first.AdminAsync())
        {
            await admin.GetJsonAsync("/api/auth/me");
        }

        // Same data folder, new process-like host with a different configured password.
        await using var restarted = first.WithWebHostBuilder(b => b.UseSetting("DIALER_ADMIN_PASSWORD", "a-new-password-1"));
        using var client = restarted.CreateClient();
        await client.PostAsync("/api/auth/token", new { userName = DialerApiFactory.AdminUser, password = "a-new-password-1" }, HttpStatusCode.Unauthorized);
        await client.PostAsync("/api/auth/token", new { userName = DialerApiFactory.AdminUser, password = DialerApiFactory.AdminPassword });
    }

    [Fact]
    public async Task A_bearer_token_still_opens_after_the_node_restarts_on_the_same_data()
    {
        await using var first = new DialerApiFactory();
        string token;
        using (var client = first.CreateClient())
        {
            token = (await client.PostAsync("/api/auth/token", new { userName = DialerApiFactory.AdminUser, password = DialerApiFactory.AdminPassword }))
                .GetProperty("accessToken").GetString()!;
        }

        await using var restarted = first.WithWebHostBuilder(_ => { });
        using var again = restarted.CreateClient();
        again.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Equal("admin", (await again.GetJsonAsync("/api/auth/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_demo_creates_a_supervisor_and_agents_linked_to_agent_records()
    {
        await using var plain = new DialerApiFactory();
        await using var demo = plain.WithWebHostBuilder(b => b.UseSetting("Demo:Enabled", "true").UseSetting("Demo:Password", "demo-test-pass"));
        using var client = demo.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        client.DefaultRequestHeaders.Add("Origin", "http://localhost");

        await client.PostAsync("/api/auth/login", new { userName = "supervisor", password = "demo-test-pass" });
        Assert.Equal("supervisor", (await client.GetJsonAsync("/api/auth/me")).GetProperty("role").GetString());

        foreach (var (user, name) in new[] { ("alice", "Alice Novak"), ("bruno", "Bruno Costa"), ("chen", "Chen Wei") })
        {
            await client.PostAsync("/api/auth/login", new { userName = user, password = "demo-test-pass" });
            var me = await client.GetJsonAsync("/api/auth/me");
            Assert.Equal(("agent", name), (me.GetProperty("role").GetString(), me.GetProperty("agentName").GetString()));
            var agentId = me.GetProperty("agentId").GetInt64();
            Assert.Equal(name, (await client.GetJsonAsync($"/api/agents/{agentId}")).GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task Without_the_demo_there_are_no_demo_users()
    {
        await using var factory = new DialerApiFactory();
        using var client = factory.CreateClient();
        await client.PostAsync("/api/auth/token", new { userName = "supervisor", password = "demo-pass-1" }, HttpStatusCode.Unauthorized);
        await client.PostAsync("/api/auth/token", new { userName = "alice", password = "demo-pass-1" }, HttpStatusCode.Unauthorized);
    }
}
