using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>The real host's /metrics behind a scrape token: refused without it, prometheus-net's exposition with it.</summary>
public sealed class MetricsEndpointTests(ScrapeTokenFactory factory) : IClassFixture<ScrapeTokenFactory>
{
    [Fact]
    public async Task Healthz_answers_200()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-of-enough-length")]
    [InlineData("Basic " + ScrapeTokenFactory.Token)]
    [InlineData(ScrapeTokenFactory.Token)]
    public async Task A_scrape_without_the_token_is_refused_with_401_naming_the_Authorization_header(string? authorization)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(["Authorization"], body.ProblemFields());
        Assert.DoesNotContain("dialercluster_", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scrape_carries_the_dialer_families_and_passes_promtool_check_metrics()
    {
        using var admin = await factory.AdminAsync();
        var (campaign, agent) = await admin.CampaignWithCasesAsync(ApiCalls.Phones(3), new { name = "Metrics preview", callingWindow = new { start = "00:00", end = "23:59" } });
        await admin.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}");
        await admin.PostAsync($"/api/agents/{agent}/complete", new { outcome = "busy" });
        await admin.ImportAsync("with a bad row", "name,phone\nGood Lead," + ApiCalls.Phones(1)[0] + "\nBad Lead,not-a-phone");
        using (var anonymous = factory.CreateClient())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password = "not-the-password" })).Dispose();
        }

        var body = await ScrapeAsync();

        Assert.Contains("dialercluster_agents{state=\"ready\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains($"dialercluster_queue_cases{{campaign=\"{campaign}\",state=\"ready\"}} 2\n", body, StringComparison.Ordinal);
        Assert.Contains($"dialercluster_funnel_cases{{campaign=\"{campaign}\",state=\"new\"}} 3\n", body, StringComparison.Ordinal);
        Assert.Contains($"dialercluster_dial_attempts{{campaign=\"{campaign}\",mode=\"preview\",outcome=\"busy\"}} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("dialercluster_next_case_seconds_count{mode=\"preview\",outcome=\"offered\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("dialercluster_next_case_seconds_bucket{mode=\"preview\",outcome=\"offered\",le=\"0.005\"}", body, StringComparison.Ordinal);
        Assert.Matches(@"dialercluster_hold_commit_seconds_count [1-9]", body);
        Assert.Contains("dialercluster_import_rows{outcome=\"accepted\"} 4\n", body, StringComparison.Ordinal); // 3 leads of the campaign, 1 here
        Assert.Contains("dialercluster_import_rows{outcome=\"rejected\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("dialercluster_sign_in_failures 1\n", body, StringComparison.Ordinal);
        Assert.Contains("microsoft_aspnetcore_hosting_http_server_request_duration_bucket{", body, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total ", body, StringComparison.Ordinal);
        Assert.Contains("process_working_set_bytes ", body, StringComparison.Ordinal);
        Assert.Contains("dotnet_total_memory_bytes ", body, StringComparison.Ordinal);

        // Filtered to what the dashboards read: the stand-in runtime's meter and ASP.NET Core's other instruments stay out.
        Assert.DoesNotContain("dialercluster_runtime_", body, StringComparison.Ordinal);
        Assert.DoesNotContain("kestrel", body, StringComparison.Ordinal);
        Assert.DoesNotContain("http_server_active_requests", body, StringComparison.Ordinal);

        var check = await PrometheusTools.PromtoolAsync(["check", "metrics"], body);
        Assert.True(check.ExitCode == 0 && check.StandardError.Trim().Length == 0, $"promtool check metrics complained:\n{check.Output}\n--- scrape ---\n{body}");
    }

    [Fact]
    public async Task Scrapes_of_metrics_are_left_out_of_the_request_duration_histogram()
    {
        await ScrapeAsync();

        var body = await ScrapeAsync();

        Assert.DoesNotContain("http_route=\"/metrics\"", body, StringComparison.Ordinal);
    }

    private async Task<string> ScrapeAsync()
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeTokenFactory.Token);
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }
}
