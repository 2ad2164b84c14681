using System.Diagnostics;
using System.Text.Json;
using DialerCluster.Host.Demo;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

// Not "...Tests.Dialing": that namespace would hide DialerCluster.Dialing from the other test folders.
namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>The newcomer's demo on the real host: with Demo:Enabled calls flow without anyone touching the API.</summary>
public sealed class DemoDialingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    [Fact(Timeout = 60_000)]
    public async Task With_the_demo_enabled_calls_are_dialed_completed_and_interested_leads_saved_in_acquisition()
    {
        await using var factory = new RealTimeDialerFactory { Demo = true };
        using var admin = await factory.AdminAsync();
        var started = Stopwatch.StartNew();

        long? campaign = null;
        var dialed = false;
        long? attempted = null;
        JsonElement? interested = null;
        while ((campaign is null || !dialed || attempted is null || interested is null) && started.Elapsed < Limit)
        {
            await Task.Delay(500);
            campaign ??= (await admin.GetJsonAsync("/api/campaigns")).EnumerateArray()
                .Where(c => c.GetProperty("name").GetString() == DemoSetup.CampaignName).Select(c => (long?)c.Id()).FirstOrDefault();
            if (campaign is not { } id)
            {
                continue;
            }

            var wall = (await admin.GetJsonAsync("/api/monitor")).GetProperty("campaigns").EnumerateArray().Single(c => c.Id() == id);
            dialed |= wall.GetProperty("dialing") is { ValueKind: JsonValueKind.Object } stats && stats.GetProperty("dialsPerMinute").GetDouble() > 0;
            attempted ??= (await admin.GetJsonAsync($"/api/campaigns/{id}/cases?page=1&pageSize=500")).GetProperty("items").EnumerateArray()
                .Where(c => c.GetProperty("attempts").GetInt32() > 0).Select(c => (long?)c.Id()).FirstOrDefault();
            interested ??= (await admin.GetJsonAsync($"/api/campaigns/{id}/cases?status=in_acquisition&page=1&pageSize=10")).GetProperty("items")
                .EnumerateArray().Select(c => (JsonElement?)c).FirstOrDefault();
        }

        Assert.True(campaign is not null, $"no campaign named '{DemoSetup.CampaignName}' after {started.Elapsed}");
        Assert.True(dialed, $"the demo campaign dialed nothing in {started.Elapsed}");
        Assert.True(attempted is not null, $"no demo case completed after a call in {started.Elapsed}");
        Assert.True(interested is not null, $"no demo lead saved in acquisition in {started.Elapsed}");

        var history = await admin.GetJsonAsync($"/api/cases/{attempted}");
        Assert.Contains("call_attempt", history.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("kind").GetString()));

        var saved = (await admin.GetJsonAsync($"/api/cases/{interested.Value.Id()}")).GetProperty("case");
        Assert.Equal("in_acquisition", saved.GetProperty("status").GetString());
        foreach (var field in new[] { "nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate" })
        {
            Assert.True(saved.GetProperty(field).ValueKind == JsonValueKind.String, $"{field} is {saved.GetProperty(field)}");
        }
    }
}
