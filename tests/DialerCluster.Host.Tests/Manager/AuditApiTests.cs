using System.Net;
using DialerCluster.Dialing.Audit;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>The writes outside the managers' screens are audited too: a new agent, a contact import, new cases.</summary>
public sealed class AuditApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task Creating_an_agent_importing_contacts_and_creating_cases_each_leave_who_did_it()
    {
        using var api = await factory.AdminAsync();

        var agent = (await api.PostAsync("/api/agents", new { name = "Audited Ann" }, HttpStatusCode.Created)).Id();
        var import = await api.ImportAsync("Audited leads", "name,phone\nKim,+4930901820\nLou,+4930901821\n");
        var group = import.GetProperty("groupId").GetInt64();
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "Audited" }, HttpStatusCode.Created)).Id();
        await api.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group });

        var created = Assert.Single(await factory.AuditAsync($"agent {agent}"));
        var imported = Assert.Single(await factory.AuditAsync($"contact group {group}"));
        var cases = (await factory.AuditAsync($"campaign {campaign}")).Single(a => a.Action == "cases.create");
        Assert.Equal(("agent.create", "admin"), (created.Action, created.Actor));
        Assert.Equal(("contacts.import", "admin"), (imported.Action, imported.Actor));
        Assert.Contains("\"accepted\":2", imported.Detail, StringComparison.Ordinal);
        Assert.Equal("admin", cases.Actor);
        Assert.Contains("\"created\":2", cases.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_write_leaves_no_audit_row()
    {
        using var api = await factory.AdminAsync();
        var audit = factory.Services.GetRequiredService<IAuditLog>();
        var before = (await audit.RecentAsync(1_000, null, "agent.create", CancellationToken.None)).Count;

        await api.PostAsync("/api/agents", new { name = " " }, HttpStatusCode.UnprocessableEntity);
        await api.PostAsync("/api/agents", new { name = "Dialer line 9.9" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal(before, (await audit.RecentAsync(1_000, null, "agent.create", CancellationToken.None)).Count);
    }
}
