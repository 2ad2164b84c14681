using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Testing.Sipp;

// Not "...Tests.Dialing": that namespace would hide DialerCluster.Dialing from the other test folders.
namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>
/// End to end through the real host with Telephony:Gateway=sip and SIPp as the carrier: Next case in a progressive
/// campaign makes the campaign send a SIP INVITE; SIPp answers one case busy and the other with a person who talks,
/// then hangs up; the case histories show what SIP said.
/// </summary>
public sealed class SipCallFlowApiTests
{
    private static readonly object AllDay = new { start = "00:00", end = "23:59" };

    [Fact(Timeout = 120_000)]
    public async Task Next_case_dials_through_the_sip_trunk_connects_the_answered_call_and_the_histories_show_the_sip_outcomes()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.FirstBusyThenAnswered(talkMilliseconds: 4000), Calls: 2));
        await using var factory = new SipDialerFactory(carrier.Trunk);
        using var admin = await factory.AdminAsync();
        var campaign = (await admin.PostAsync("/api/campaigns", new { name = "Progressive over SIP", dialMode = "progressive", callingWindow = AllDay }, HttpStatusCode.Created)).Id();
        var agent = (await admin.PostAsync("/api/agents", new { name = "Sippy" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");
        await admin.PostAsync("/api/users", new { userName = $"sip{agent}", password = "agent-pass-123", role = "agent", agentId = agent }, HttpStatusCode.Created);
        var phones = ApiCalls.Phones(2);
        var group = await admin.ImportAsync("sip leads", "name,phone\n" + string.Join("\n", phones.Select((p, i) => $"Lead {i},{p}")));
        Assert.Equal(2, (await admin.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group.GetProperty("groupId").GetInt64() })).GetProperty("created").GetInt32());
        using var self = await factory.SignedInAsync($"sip{agent}", "agent-pass-123");

        // The first INVITE is busy; the agent keeps waiting and the campaign dials the second case, which answers.
        var offer = await self.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}&waitSeconds=30");

        var call = offer.GetProperty("call");
        Assert.Equal("connected", call.GetProperty("state").GetString());
        var connectedCase = offer.GetProperty("case").Id();
        var onWall = CallFlowApiTests.WallAgent(await admin.GetJsonAsync("/api/monitor"), agent);
        Assert.Equal(("on_call", connectedCase), (onWall.GetProperty("status").GetString(), onWall.GetProperty("caseId").GetInt64()));

        // SIPp's customer sends BYE after talking: the agent goes to wrap-up with the case.
        var wrapUp = await CallFlowApiTests.UntilAsync(admin, agent, a => a.GetProperty("status").GetString() == "wrap_up", TimeSpan.FromSeconds(30));
        Assert.Equal((connectedCase, "ended"), (wrapUp.GetProperty("caseId").GetInt64(), wrapUp.GetProperty("callState").GetString()));
        await self.PostAsync($"/api/agents/{agent}/complete", new { outcome = "talked" });
        var sipp = await carrier.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(sipp.ExitCode == 0 && sipp.Statistics.Successful == 2, sipp.Report);

        var cases = (await admin.GetJsonAsync($"/api/campaigns/{campaign}/cases")).GetProperty("items").EnumerateArray().Select(c => c.Id()).ToArray();
        var busyCase = Assert.Single(cases, c => c != connectedCase);
        Assert.Contains("busy", Outcomes(await admin.GetJsonAsync($"/api/cases/{busyCase}")));
        Assert.Contains("talked", Outcomes(await admin.GetJsonAsync($"/api/cases/{connectedCase}")));
        var invites = sipp.ReceivedMessages("INVITE ");
        Assert.Equal(2, invites.Count);
        Assert.All(invites, invite => Assert.Contains("From: <sip:+15550100000@", invite, StringComparison.Ordinal));
    }

    private static string?[] Outcomes(JsonElement details) =>
        [.. details.GetProperty("activities").EnumerateArray()
            .Where(a => a.GetProperty("kind").GetString() == "call_attempt")
            .Select(a => a.GetProperty("outcome").GetString())];
}
