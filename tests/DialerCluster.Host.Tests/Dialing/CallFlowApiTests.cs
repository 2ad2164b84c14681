using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

// Not "...Tests.Dialing": that namespace would hide DialerCluster.Dialing from the other test folders.
namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>
/// The dialed-lead call flow through the real host on real time: next case long-polls, the campaign dials on the
/// simulated carrier, the answered call is connected to the agent, the wall shows it, the outcome lands in the case.
/// </summary>
public sealed class CallFlowApiTests(RealTimeDialerFactory factory) : IClassFixture<RealTimeDialerFactory>
{
    private static readonly object AllDay = new { start = "00:00", end = "23:59" };

    [Fact(Timeout = 40_000)]
    public async Task Next_case_in_a_progressive_campaign_returns_the_connected_call_and_the_attempt_lands_in_the_history()
    {
        using var admin = await factory.AdminAsync();
        var campaign = (await admin.PostAsync("/api/campaigns", new
        {
            name = "Progressive over http",
            dialMode = "progressive",
            callingWindow = AllDay,
        }, HttpStatusCode.Created)).Id();
        var agent = (await admin.PostAsync("/api/agents", new { name = "Dora" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");
        await admin.PostAsync("/api/users", new { userName = $"dialed{agent}", password = "agent-pass-123", role = "agent", agentId = agent }, HttpStatusCode.Created);
        var csv = "name,phone\n" + string.Join("\n", ApiCalls.Phones(3).Select((p, i) => $"Lead {i},{p}"));
        var group = await admin.ImportAsync("dialed leads", csv);
        var created = await admin.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group.GetProperty("groupId").GetInt64() });
        Assert.Equal(3, created.GetProperty("created").GetInt32());
        using var self = await factory.SignedInAsync($"dialed{agent}", "agent-pass-123");

        var offer = await self.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=15");

        var call = offer.GetProperty("call");
        Assert.Equal(JsonValueKind.Object, call.ValueKind);
        var callId = call.GetProperty("callId").GetInt64();
        var caseId = offer.GetProperty("case").Id();
        Assert.Equal("connected", call.GetProperty("state").GetString());
        Assert.True(callId > 0, $"callId {callId}");
        Assert.Equal(agent, offer.GetProperty("case").GetProperty("holderAgentId").GetInt64());
        Assert.Contains(offer.GetProperty("contact").GetProperty("phones")[0].GetString() ?? "(none)", csv);

        // The dialer's lines (agent records that hold cases while they ring) are not agents to list.
        var listed = (await admin.GetJsonAsync("/api/agents")).EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToArray();
        Assert.Contains("Dora", listed);
        Assert.DoesNotContain(listed, name => name!.StartsWith("Dialer line ", StringComparison.Ordinal));

        var onWall = WallAgent(await admin.GetJsonAsync("/api/monitor"), agent);
        Assert.Equal("on_call", onWall.GetProperty("status").GetString());
        Assert.Equal(caseId, onWall.GetProperty("caseId").GetInt64());
        Assert.Equal(callId, onWall.GetProperty("callId").GetInt64());
        Assert.Equal("connected", onWall.GetProperty("callState").GetString());

        // The simulated person hangs up after the carrier's talk time; the agent goes to wrap-up with the case.
        var wrapUp = await UntilAsync(admin, agent, a => a.GetProperty("status").GetString() == "wrap_up", TimeSpan.FromSeconds(20));
        Assert.Equal((caseId, "ended"), (wrapUp.GetProperty("caseId").GetInt64(), wrapUp.GetProperty("callState").GetString()));

        var done = await self.PostAsync($"/api/agents/{agent}/complete", new { outcome = "talked" });
        Assert.Equal((caseId, 1), (done.GetProperty("caseId").GetInt64(), done.GetProperty("attempts").GetInt32()));

        var details = await admin.GetJsonAsync($"/api/cases/{caseId}");
        var kinds = details.GetProperty("activities").EnumerateArray().Select(a => a.GetProperty("kind").GetString()).ToArray();
        Assert.Contains("call_attempt", kinds);
        var afterwards = WallAgent(await admin.GetJsonAsync("/api/monitor"), agent);
        Assert.Equal(JsonValueKind.Null, afterwards.GetProperty("callId").ValueKind);
    }

    [Fact(Timeout = 20_000)]
    public async Task With_no_cases_left_next_case_answers_204_after_its_wait()
    {
        using var admin = await factory.AdminAsync();
        var campaign = (await admin.PostAsync("/api/campaigns", new
        {
            name = "Progressive with nothing to dial",
            dialMode = "progressive",
            callingWindow = AllDay,
        }, HttpStatusCode.Created)).Id();
        var agent = (await admin.PostAsync("/api/agents", new { name = "Idle" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");

        var waited = Stopwatch.StartNew();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=2");
        waited.Stop();

        // A lower bound only: the long poll held the request for its wait instead of answering at once.
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(1.5), $"answered after {waited.Elapsed}");
        var wall = WallAgent(await admin.GetJsonAsync("/api/monitor"), agent);
        Assert.Equal("ready", wall.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, wall.GetProperty("callId").ValueKind);
    }

    internal static JsonElement WallAgent(JsonElement monitor, long agent) =>
        monitor.GetProperty("agents").EnumerateArray().Single(a => a.Id() == agent);

    internal static async Task<JsonElement> UntilAsync(HttpClient admin, long agent, Func<JsonElement, bool> condition, TimeSpan limit)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var wall = WallAgent(await admin.GetJsonAsync("/api/monitor"), agent);
            if (condition(wall))
            {
                return wall;
            }

            Assert.True(until.Elapsed < limit, $"agent {agent} still {wall} after {limit}");
            await Task.Delay(200);
        }
    }
}
