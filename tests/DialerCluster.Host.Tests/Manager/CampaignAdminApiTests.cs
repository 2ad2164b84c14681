using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>Campaign admin over HTTP: the money settings, caller id and default priority, and the audit of every change.</summary>
public sealed class CampaignAdminApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task A_campaign_keeps_its_caller_id_default_priority_costs_budget_and_deal_value()
    {
        using var api = await factory.AdminAsync();

        var created = await api.PostAsync("/api/campaigns", new
        {
            name = "Autumn upgrades",
            callerId = "+442079460999",
            defaultPriority = "high",
            costs = new { agentHourCost = 24.5, callMinuteCost = 0.012, budget = 15000, budgetPeriod = "week" },
            dealValue = 1200,
        }, HttpStatusCode.Created);
        var id = created.Id();
        var read = await api.GetJsonAsync($"/api/campaigns/{id}");

        Assert.Equal("+442079460999", read.GetProperty("callerId").GetString());
        Assert.Equal("high", read.GetProperty("defaultPriority").GetString());
        var costs = read.GetProperty("costs");
        Assert.Equal((24.5m, 0.012m, 15000m, "week"), (costs.GetProperty("agentHourCost").GetDecimal(), costs.GetProperty("callMinuteCost").GetDecimal(), costs.GetProperty("budget").GetDecimal(), costs.GetProperty("budgetPeriod").GetString()));
        Assert.Equal(1200m, read.GetProperty("dealValue").GetDecimal());

        // A case created without a priority takes the campaign's default.
        var caseId = await api.CaseAsync(id, "Walk-in");
        Assert.Equal("high", (await api.GetJsonAsync($"/api/cases/{caseId}")).GetProperty("case").GetProperty("priority").GetString());
    }

    [Fact]
    public async Task A_change_keeps_what_it_does_not_name_and_null_removes_the_budget_and_the_caller_id()
    {
        using var api = await factory.AdminAsync();
        var id = (await api.PostAsync("/api/campaigns", new
        {
            name = "Renewals",
            callerId = "+12025550123",
            costs = new { agentHourCost = 20, callMinuteCost = 0.05, budget = 3000 },
        }, HttpStatusCode.Created)).Id();

        var changed = await api.PatchAsync($"/api/campaigns/{id}", new { callerId = (string?)null, costs = new { budget = (decimal?)null, callMinuteCost = 0.07 } });

        Assert.Equal(JsonValueKind.Null, changed.GetProperty("callerId").ValueKind);
        var costs = changed.GetProperty("costs");
        Assert.Equal(JsonValueKind.Null, costs.GetProperty("budget").ValueKind);
        Assert.Equal((20m, 0.07m, "month"), (costs.GetProperty("agentHourCost").GetDecimal(), costs.GetProperty("callMinuteCost").GetDecimal(), costs.GetProperty("budgetPeriod").GetString()));
        Assert.Equal("Renewals", changed.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Bad_money_and_caller_id_are_refused_naming_each_field()
    {
        using var api = await factory.AdminAsync();
        var id = (await api.PostAsync("/api/campaigns", new { name = "Strict" }, HttpStatusCode.Created)).Id();

        var invalid = await api.PatchAsync($"/api/campaigns/{id}", new { callerId = "0207946", costs = new { agentHourCost = -1, budget = 1.0000001 }, dealValue = -5 }, HttpStatusCode.UnprocessableEntity);
        var unknownPeriod = await api.PatchAsync($"/api/campaigns/{id}", new { costs = new { budgetPeriod = "year" } }, HttpStatusCode.BadRequest);
        var textBudget = await api.PatchAsync($"/api/campaigns/{id}", new { costs = new { budget = "lots" } }, HttpStatusCode.BadRequest);

        Assert.Equal(["callerId", "costs.agentHourCost", "costs.budget", "dealValue"], invalid.ProblemFields().Order());
        Assert.Equal(["costs.budgetPeriod"], unknownPeriod.ProblemFields());
        Assert.Equal(["costs.budget"], textBudget.ProblemFields());
    }

    [Fact]
    public async Task Creating_changing_and_assigning_are_audited_with_who_and_when()
    {
        using var api = await factory.AdminAsync();
        var id = (await api.PostAsync("/api/campaigns", new { name = "Audited" }, HttpStatusCode.Created)).Id();
        var agent = (await api.PostAsync("/api/agents", new { name = "Ann" }, HttpStatusCode.Created)).Id();
        await api.PatchAsync($"/api/campaigns/{id}", new { maxAttempts = 4 });
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{id}/agents/{agent}");
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/campaigns/{id}/agents/{agent}");
        await api.PatchAsync($"/api/campaigns/{id}", new { maxAttempts = 0 }, HttpStatusCode.UnprocessableEntity);

        var audit = await factory.AuditAsync($"campaign {id}");

        Assert.Equal(["campaign.unassign_agent", "campaign.assign_agent", "campaign.update", "campaign.create"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(DialerHostFactory.AdminUser, a.Actor));
        Assert.All(audit, a => Assert.Equal(factory.Clock.Now, a.At));
        Assert.Contains("\"maxAttempts\":4", audit[2].Detail, StringComparison.Ordinal);
    }
}
