using System.Text.Json;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Demo;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Demo;

/// <summary>The demo on a database of its own, shared by every host a test starts on it.</summary>
internal sealed class DemoHostFactory(string dataFolder, bool simulate) : WebApplicationFactory<Program>
{
    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataFolder", dataFolder);
        builder.UseSetting("Storage:SqliteSynchronous", "Normal");
        builder.UseSetting("Storage:Postgres", "");
        builder.UseSetting("DIALER_ADMIN_USER", DialerHostFactory.AdminUser);
        builder.UseSetting("DIALER_ADMIN_PASSWORD", DialerHostFactory.AdminPassword);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Simulate", simulate ? "true" : "false");
        foreach (var (key, value) in DialerCluster.Testing.LoopbackPorts.SiloSettings())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The demo's set-up is idempotent and race-free, and its printed logins are people's alone (issue 15.4).</summary>
public sealed class DemoSetupTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dialer-demo-").FullName;

    [Fact(Timeout = 120_000)]
    public async Task Starting_two_at_once_on_a_new_database_then_restarting_makes_every_agent_and_user_once()
    {
        // Two nodes on a new database (they used to race to the same admin, agents and logins), then restarts, then two again.
        await StartTwoAtOnceAsync();
        for (var start = 0; start < 3; start++)
        {
            await using var host = new DemoHostFactory(_folder, simulate: false);
            _ = host.Server;
        }

        var (first, second) = await StartTwoAtOnceAsync(keep: true);
        await using var _first = first;
        await using var _second = second;

        var agents = await first.Service<IAgentStore>().ListAsync(CancellationToken.None);
        var demoNames = DemoSetup.PeopleLogins.Select(l => l.AgentName).Concat(DemoSetup.SimulatedAgentNames).ToArray();
        Assert.All(demoNames, name => Assert.Single(agents, a => a.Name == name));
        var campaigns = (await first.Service<ICampaignStore>().ListAsync(CancellationToken.None)).Where(c => c.Settings.Name == DemoSetup.CampaignName).ToArray();
        var campaign = Assert.Single(campaigns).Id;
        var assigned = await first.Service<ICampaignStore>().AgentsOfAsync(campaign, CancellationToken.None);
        var users = first.Service<IUserStore>();
        var loginAgents = new List<long>();
        foreach (var (userName, agentName) in DemoSetup.PeopleLogins)
        {
            var user = await users.FindByNameKeyAsync(userName, CancellationToken.None);
            Assert.True(user?.AgentId is not null, $"{userName} is not linked to an agent");
            Assert.Equal(agentName, agents.Single(a => a.Id == user!.AgentId).Name);
            Assert.Contains(user!.AgentId!.Value, assigned);
            loginAgents.Add(user.AgentId.Value);
        }

        var simulated = agents.Where(a => DemoSetup.SimulatedAgentNames.Contains(a.Name)).Select(a => a.Id).ToArray();
        Assert.All(simulated, id => Assert.Contains(id, assigned));
        Assert.Empty(simulated.Intersect(loginAgents));
        Assert.Equal(DemoSetup.PeopleLogins.Count + 2, await users.CountAsync(CancellationToken.None)); // + supervisor and admin
    }

    [Fact(Timeout = 120_000)]
    public async Task The_simulation_never_drives_a_login_printed_for_a_person()
    {
        await using var factory = new RealTimeDialerFactory { Demo = true };
        using var admin = await factory.AdminAsync();
        var users = factory.Services.GetRequiredService<IUserStore>();
        var logins = new HashSet<long>();
        foreach (var (userName, _) in DemoSetup.PeopleLogins)
        {
            logins.Add((await users.FindByNameKeyAsync(userName, CancellationToken.None))!.AgentId!.Value);
        }

        var onCall = new HashSet<long>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (onCall.Count < 2 && DateTime.UtcNow < until)
        {
            foreach (var agent in (await admin.GetJsonAsync("/api/monitor")).GetProperty("agents").EnumerateArray())
            {
                var (id, status) = (agent.Id(), agent.GetProperty("status").GetString());
                if (logins.Contains(id))
                {
                    Assert.True(status == "offline" && agent.GetProperty("caseId").ValueKind == JsonValueKind.Null, $"the login of agent {id} is {status}: someone drives it");
                }
                else if (status == "on_call")
                {
                    onCall.Add(id);
                }
            }

            await Task.Delay(200);
        }

        Assert.True(onCall.Count >= 2, $"the simulated callers took no calls in a minute ({onCall.Count} on a call)");
    }

    private async Task<(DemoHostFactory First, DemoHostFactory Second)> StartTwoAtOnceAsync(bool keep = false)
    {
        var first = new DemoHostFactory(_folder, simulate: false);
        var second = new DemoHostFactory(_folder, simulate: false);
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));
        if (!keep)
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }

        return (first, second);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing: it is in the temp folder.
        }
    }
}
