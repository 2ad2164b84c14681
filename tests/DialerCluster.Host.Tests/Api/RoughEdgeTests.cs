using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.Api;

/// <summary>API rough edges of issue 15.14, through the real host.</summary>
public sealed class RoughEdgeTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task Every_409_says_in_its_detail_which_state_stands_in_the_way_and_what_is_allowed()
    {
        using var api = await factory.AdminAsync();
        var (campaign, agent) = await api.CampaignWithCasesAsync(ApiCalls.Phones(2));
        var other = await api.ReadyAgentAsync(campaign, "Other");
        var idle = (await api.PostAsync("/api/agents", new { name = "Idle" }, HttpStatusCode.Created)).Id();
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{idle}");

        var noCase = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/agents/{agent}/complete", new { outcome = "talked" });
        var wrongMove = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/agents/{idle}/status", new { status = "wrap_up" });
        var notReady = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/agents/{idle}/next-case?campaignId={campaign}");
        var held = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}")).GetProperty("case");
        var notYours = await api.PatchAsync($"/api/cases/{held.Id()}", new { note = "mine", agentId = other, version = held.GetProperty("version").GetInt64() }, HttpStatusCode.Conflict);
        var staleCampaign = await api.PatchAsync($"/api/campaigns/{campaign}", new { maxAttempts = 4, version = 999 }, HttpStatusCode.Conflict);

        AssertSays(noCase, "holds no case", "Next case");
        AssertSays(wrongMove, "cannot go from offline to wrap_up", "may go to");
        AssertSays(notReady, "the agent is offline", "only a ready agent");
        AssertSays(notYours, $"is held by agent {agent}", "only they save it");
        AssertSays(staleCampaign, "the campaign is at version", "reload it");
    }

    [Fact]
    public async Task A_case_history_names_the_agents_who_acted_not_their_ids()
    {
        using var api = await factory.AdminAsync();
        var (campaign, agent) = await api.CampaignWithCasesAsync(ApiCalls.Phones(1));
        var owner = (await api.PostAsync("/api/agents", new { name = "Olga Owner" }, HttpStatusCode.Created)).Id();
        var offer = (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}")).GetProperty("case");
        await api.PatchAsync($"/api/cases/{offer.Id()}", new { ownerAgentId = owner, version = offer.GetProperty("version").GetInt64() });
        await api.PostAsync($"/api/agents/{agent}/complete", new { outcome = "no_answer" });

        var history = (await api.GetJsonAsync($"/api/cases/{offer.Id()}")).GetProperty("activities").EnumerateArray().ToArray();

        var call = history.Single(a => a.GetProperty("kind").GetString() == "call_attempt");
        Assert.Equal(agent.ToString(System.Globalization.CultureInfo.InvariantCulture), call.GetProperty("by").GetString());
        Assert.Equal("Agent", call.GetProperty("byName").GetString());
        var ownerChange = history.Single(a => a.GetProperty("kind").GetString() == "owner_changed");
        Assert.Equal(("admin", "Olga Owner"), (ownerChange.GetProperty("byName").GetString(), ownerChange.GetProperty("ownerName").GetString()));
    }

    private static void AssertSays(JsonElement problem, string state, string allowed)
    {
        var detail = problem.GetProperty("detail").GetString();
        Assert.NotEqual(problem.GetProperty("title").GetString(), detail);
        Assert.Contains(state, detail);
        Assert.Contains(allowed, detail);
    }
}

/// <summary>The real host on the real clock with a carrier whose calls ring for half a minute and are never answered.</summary>
public sealed class UnansweredCarrierFactory : DialerHostFactory
{
    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Telephony:Simulated:AnswerRate", "0");
        builder.UseSetting("Telephony:Simulated:MachineRate", "0");
        builder.UseSetting("Telephony:Simulated:BusyRate", "0");
        builder.UseSetting("Telephony:Simulated:FailureRate", "0");
        builder.UseSetting("Telephony:Simulated:RingSeconds", "30");
        builder.UseSetting("Telephony:Simulated:PostDialSeconds", "0.1");
    }
}

/// <summary>What a ringing case and a campaign nobody answers look like through the API.</summary>
public sealed class RingingCaseTests(UnansweredCarrierFactory factory) : IClassFixture<UnansweredCarrierFactory>
{
    [Fact(Timeout = 60_000)]
    public async Task A_case_ringing_on_a_dialer_line_is_held_by_the_dialer_and_a_campaign_with_no_answered_call_has_no_answer_rate()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new
        {
            name = "ringing " + Guid.NewGuid().ToString("N")[..6],
            dialMode = "progressive",
            callingWindow = new { start = "00:00", end = "23:59" },
        }, HttpStatusCode.Created)).Id();
        var agent = await api.ReadyAgentAsync(campaign);
        await api.PostAsync($"/api/campaigns/{campaign}/cases", new { contact = new { name = "Rita Ringing", phone = ApiCalls.Phones(1)[0] } });

        // The agent waits for a dialed lead; meanwhile the campaign dials for it and the call rings.
        var waiting = api.SendAsync(HttpMethod.Post, $"/api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=10");
        JsonElement? ringing = null;
        for (var i = 0; i < 100 && ringing is null; i++)
        {
            await Task.Delay(100);
            ringing = (await api.GetJsonAsync($"/api/campaigns/{campaign}/cases")).GetProperty("items").EnumerateArray()
                .Where(c => c.GetProperty("holder").ValueKind == JsonValueKind.Object).Select(c => (JsonElement?)c).FirstOrDefault();
        }

        Assert.True(ringing is not null, "no case was held while its call rang");
        Assert.Equal("dialer", ringing.Value.GetProperty("holder").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, ringing.Value.GetProperty("holderAgentId").ValueKind);
        var read = (await api.GetJsonAsync($"/api/cases/{ringing.Value.Id()}")).GetProperty("case");
        Assert.Equal(("dialer", JsonValueKind.Null), (read.GetProperty("holder").GetProperty("kind").GetString(), read.GetProperty("holderAgentId").ValueKind));

        var dialing = (await api.GetJsonAsync("/api/monitor")).GetProperty("campaigns").EnumerateArray().Single(c => c.Id() == campaign).GetProperty("dialing");
        Assert.True(dialing.GetProperty("dialsPerMinute").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, dialing.GetProperty("answerRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, dialing.GetProperty("abandonRate").ValueKind);
        await waiting;
    }
}
