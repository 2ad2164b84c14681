using System.Net;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Cluster;

public sealed class OrleansDashboardTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task An_administrator_opens_the_Orleans_dashboard_and_its_data()
    {
        using var admin = await factory.AdminAsync();

        // With the trailing slash: the dashboard redirects "/dashboard" there, and a client drops its bearer token on a redirect.
        using var page = await admin.GetAsync("/dashboard/");
        using var data = await admin.GetAsync("/dashboard/DashboardCounters");

        Assert.True(page.StatusCode == HttpStatusCode.OK, await page.Content.ReadAsStringAsync());
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        Assert.Contains("\"totalActiveHostCount\"", await data.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_dashboard_may_style_inline_but_never_run_inline_script_and_is_never_framed()
    {
        using var admin = await factory.AdminAsync();

        using var page = await admin.GetAsync("/dashboard/");
        using var api = await admin.GetAsync("/api/campaigns");

        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.DoesNotContain("unsafe-inline", Assert.Single(api.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("supervisor")]
    [InlineData("agent")]
    [InlineData(null)]
    public async Task Anyone_but_an_administrator_is_refused_with_403(string? role)
    {
        using var client = role is null ? factory.CreateClient() : await SignedInAsAsync(role);

        foreach (var path in new[] { "/dashboard", "/dashboard/", "/dashboard/DashboardCounters", "/dashboard/index.min.js" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role ?? "anonymous"} GET {path}: {(int)response.StatusCode}");
        }
    }

    private async Task<HttpClient> SignedInAsAsync(string role)
    {
        using var admin = await factory.AdminAsync();
        var userName = $"dash-{role}-{Guid.NewGuid():N}"[..24];
        long? agentId = role == "agent" ? (await admin.PostAsync("/api/agents", new { name = userName }, HttpStatusCode.Created)).Id() : null;
        await admin.PostAsync("/api/users", new { userName, password = "dash-pass-123", role, agentId }, HttpStatusCode.Created);
        return await factory.SignedInAsync(userName, "dash-pass-123");
    }
}
