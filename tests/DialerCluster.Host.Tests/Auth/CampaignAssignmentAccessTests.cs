using System.Net;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>
/// An agent user may work only the campaigns their agent is assigned to. The agent grain keeps that list in
/// memory for the access check, so a change of assignment must reach it at once, even when it is already active.
/// </summary>
public sealed class CampaignAssignmentAccessTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    private const string Password = "agent-pass-456";

    [Fact]
    public async Task An_agent_works_a_campaign_from_the_moment_it_is_assigned_until_it_is_unassigned()
    {
        var admin = await factory.AdminAsync();
        var campaign = (await admin.PostAsync("/api/campaigns", new { name = "Assignment" }, HttpStatusCode.Created)).Id();
        await admin.PostAsync($"/api/campaigns/{campaign}/cases", new { contact = new { name = "Lead", phone = ApiCalls.Phones(1)[0] } });
        var agent = (await admin.PostAsync("/api/agents", new { name = "Zoe" }, HttpStatusCode.Created)).Id();
        var userName = "zoe-" + Guid.NewGuid().ToString("N")[..6];
        await admin.PostAsync("/api/users", new { userName, password = Password, role = "agent", agentId = agent }, HttpStatusCode.Created);
        using var zoe = await factory.SignedInAsync(userName, Password);
        await zoe.PutAsync($"/api/agents/{agent}/status", new { status = "ready" });
        var nextCase = $"/api/agents/{agent}/next-case?campaignId={campaign}";

        // The refusal activates the agent with no campaigns; the assignment must then reach that activation.
        await zoe.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, nextCase);
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");
        var offered = await zoe.PostAsync(nextCase);
        await zoe.PostAsync($"/api/agents/{agent}/complete", new { outcome = "no_answer" });

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/campaigns/{campaign}/agents/{agent}");
        var refused = await zoe.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, nextCase);

        Assert.Equal(campaign, offered.GetProperty("case").GetProperty("campaignId").GetInt64());
        Assert.Contains("not one of yours", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
