using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>
/// A small contact center working a real node over HTTP: a predictive campaign, a power campaign dialing three lines per
/// agent whose agents talk long (so answered calls find nobody within 2 s and are abandoned), and a preview campaign,
/// each with agents looping Next case → talk → complete; an import with a bad row, and a wrong password. Bounded in
/// time; every agent stops by itself.
/// </summary>
internal static class CallCenterTraffic
{
    private static readonly object AllDay = new { start = "00:00", end = "23:59" };
    private static readonly string[] PreviewOutcomes = ["talked", "no_answer", "busy", "voicemail"];

    public static async Task RunAsync(HttpClient admin, TimeSpan duration)
    {
        var predictive = await CampaignAsync(admin, "Spring predictive", "predictive", cases: 60, agents: 4, linesPerAgent: null);
        var power = await CampaignAsync(admin, "Renewals power", "power", cases: 40, agents: 2, linesPerAgent: 3);
        var preview = await CampaignAsync(admin, "Referrals preview", "preview", cases: 40, agents: 2, linesPerAgent: null);
        var talk = new Dictionary<long, TimeSpan>
        {
            [predictive.Campaign] = TimeSpan.FromSeconds(1.5),
            [power.Campaign] = TimeSpan.FromSeconds(6),
            [preview.Campaign] = TimeSpan.FromSeconds(0.3),
        };
        await admin.ImportAsync("late list", "name,phone\nLate Lead," + ApiCalls.Phones(1)[0] + "\nNo Phone,not-a-number");
        (await admin.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password = "a wrong password" })).Dispose();

        using var stop = new CancellationTokenSource(duration);
        var agents = new List<Task>();
        foreach (var (campaign, ids) in new[] { predictive, power, preview })
        {
            agents.AddRange(ids.Select((agent, i) => WorkAsync(admin, campaign, agent, talk[campaign], i, stop.Token)));
        }

        await Task.WhenAll(agents);
    }

    private static async Task<(long Campaign, long[] Agents)> CampaignAsync(HttpClient admin, string name, string mode, int cases, int agents, int? linesPerAgent)
    {
        var campaign = (await admin.PostAsync(
            "/api/campaigns",
            new { name, dialMode = mode, callingWindow = AllDay, linesPerAgent, maxAttempts = 10 },
            HttpStatusCode.Created)).Id();
        var csv = "name,phone\n" + string.Join("\n", ApiCalls.Phones(cases).Select((phone, i) => $"{name} lead {i},{phone}"));
        var group = await admin.ImportAsync(name + " leads", csv);
        await admin.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group.GetProperty("groupId").GetInt64() });
        var ids = new long[agents];
        for (var i = 0; i < agents; i++)
        {
            ids[i] = await admin.ReadyAgentAsync(campaign, $"{name} agent {i + 1}");
        }

        return (campaign, ids);
    }

    /// <summary>Next case, a short talk, complete; again until the time is up. A dialed call is completed as talked.</summary>
    private static async Task WorkAsync(HttpClient admin, long campaign, long agent, TimeSpan talk, int seed, CancellationToken stop)
    {
        var turn = seed;
        while (!stop.IsCancellationRequested)
        {
            var (status, offer) = await admin.SendAsync(HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=3");
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NoContent, $"next-case for agent {agent}: {(int)status} {offer}");
            if (status == HttpStatusCode.NoContent)
            {
                continue;
            }

            var dialed = offer.TryGetProperty("call", out var call) && call.ValueKind == JsonValueKind.Object;
            await Task.Delay(talk, CancellationToken.None);
            var outcome = dialed ? "talked" : PreviewOutcomes[turn++ % PreviewOutcomes.Length];
            var (done, body) = await admin.SendAsync(HttpMethod.Post, $"/api/agents/{agent}/complete", new { outcome });

            // 409: the hold lapsed or the call was taken back meanwhile; the agent simply asks again.
            Assert.True(done is HttpStatusCode.OK or HttpStatusCode.Conflict, $"complete for agent {agent}: {(int)done} {body}");
        }
    }
}
