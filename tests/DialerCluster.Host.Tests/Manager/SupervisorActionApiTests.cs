using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>What a supervisor does from the wall, over HTTP: each action lands in the agent's or the case's history and in the audit log.</summary>
public sealed class SupervisorActionApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task A_forced_break_and_a_log_out_land_in_the_agents_history_with_who_did_them()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "Floor" }, HttpStatusCode.Created)).Id();
        var agent = await api.ReadyAgentAsync(campaign, "Kim");

        var onBreak = await api.PostAsync($"/api/agents/{agent}/force-break", new { reason = "Coaching" });
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var offline = await api.PostAsync($"/api/agents/{agent}/log-out");
        var history = await api.GetJsonAsync($"/api/agents/{agent}/history");

        Assert.Equal(("break", "Coaching"), (onBreak.GetProperty("status").GetString(), onBreak.GetProperty("reason").GetString()));
        Assert.Equal("offline", offline.GetProperty("status").GetString());
        var lines = history.EnumerateArray().Select(h => h.GetProperty("kind").GetString() == "state"
            ? $"state {h.GetProperty("state").GetString()} {h.GetProperty("reason").GetString()}".Trim()
            : $"{h.GetProperty("action").GetString()} by {h.GetProperty("by").GetString()}").ToArray();
        // The clock stands still in this host, so the agent's creation sorts among the moments of the same instant.
        Assert.Equal(["agent.log_out by admin", "state offline", "agent.force_break by admin", "agent.create by admin", "state break Coaching", "state ready"], lines);
    }

    [Fact]
    public async Task A_forced_break_needs_a_reason_and_an_unknown_agent_is_a_404()
    {
        using var api = await factory.AdminAsync();
        var agent = (await api.PostAsync("/api/agents", new { name = "Lee" }, HttpStatusCode.Created)).Id();

        var noReason = await api.PostAsync($"/api/agents/{agent}/force-break", new { reason = " " }, HttpStatusCode.UnprocessableEntity);
        var unknown = await api.PostAsync($"/api/agents/{agent + 1000}/log-out", null, HttpStatusCode.NotFound);

        Assert.Equal(["reason"], noReason.ProblemFields());
        Assert.Equal(["agentId"], unknown.ProblemFields());
        Assert.Equal(["agent.create"], (await factory.AuditAsync($"agent {agent}")).Select(a => a.Action));
    }

    [Fact]
    public async Task Reassigning_a_case_lands_in_its_history_and_routes_it_to_the_new_owner()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "Owners" }, HttpStatusCode.Created)).Id();
        var first = await api.ReadyAgentAsync(campaign, "Mo");
        var second = await api.ReadyAgentAsync(campaign, "Nia");
        var caseId = await api.CaseAsync(campaign, "Reassigned client");

        var given = await api.ReassignAsync(caseId, second);
        var details = await api.GetJsonAsync($"/api/cases/{caseId}");
        var offered = await api.PostAsync($"/api/agents/{second}/next-case?campaignId={campaign}");
        var cleared = await api.ReassignAsync(caseId, null);

        Assert.Equal(second, given.GetProperty("ownerAgentId").GetInt64());
        var activity = details.GetProperty("activities").EnumerateArray().Last();
        Assert.Equal(("owner_changed", "admin", second.ToString(System.Globalization.CultureInfo.InvariantCulture)), (activity.GetProperty("kind").GetString(), activity.GetProperty("by").GetString(), activity.GetProperty("details").GetString()));
        Assert.Equal(caseId, offered.GetProperty("case").Id());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("ownerAgentId").ValueKind);
        Assert.Equal(["case.reassign", "case.reassign"], (await factory.AuditAsync($"case {caseId}")).Select(a => a.Action));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Reassigning_to_nobody_known_or_without_an_owner_is_refused_naming_the_field()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "Refusals" }, HttpStatusCode.Created)).Id();
        var caseId = await api.CaseAsync(campaign, "Client");

        var unknown = await api.PutAsync($"/api/cases/{caseId}/owner", new { ownerAgentId = 999_999 }, HttpStatusCode.UnprocessableEntity);
        var missing = await api.PutAsync($"/api/cases/{caseId}/owner", new { }, HttpStatusCode.BadRequest);
        var noCase = await api.PutAsync($"/api/cases/{caseId + 1000}/owner", new { ownerAgentId = (long?)null }, HttpStatusCode.NotFound);

        Assert.Equal(["ownerAgentId"], unknown.ProblemFields());
        Assert.Equal(["ownerAgentId"], missing.ProblemFields());
        Assert.Equal(["caseId"], noCase.ProblemFields());
    }

    [Fact]
    public async Task A_reassign_needs_the_version_the_supervisor_saw_and_never_overwrites_a_save_made_since()
    {
        using var api = await factory.AdminAsync();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "Versions" }, HttpStatusCode.Created)).Id();
        var agent = await api.ReadyAgentAsync(campaign, "Oz");
        var caseId = await api.CaseAsync(campaign, "Contested client");
        var seen = (await api.GetJsonAsync($"/api/cases/{caseId}")).GetProperty("case").GetProperty("version").GetInt64();
        await api.SaveCaseAsync(caseId, new { note = "saved meanwhile" });

        var blind = await api.PutAsync($"/api/cases/{caseId}/owner", new { ownerAgentId = agent }, HttpStatusCode.PreconditionRequired);
        var stale = await api.PutAsync($"/api/cases/{caseId}/owner", new { ownerAgentId = agent, version = seen }, HttpStatusCode.Conflict);
        var stored = (await api.GetJsonAsync($"/api/cases/{caseId}")).GetProperty("case");

        Assert.Equal(["If-Match"], blind.ProblemFields());
        Assert.Equal(["version"], stale.ProblemFields());
        Assert.Contains("note", stale.GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("ownerAgentId").ValueKind);
        Assert.Empty(await factory.AuditAsync($"case {caseId}"));
    }
}
