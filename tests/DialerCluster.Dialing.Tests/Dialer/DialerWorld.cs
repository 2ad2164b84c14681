using System.Diagnostics.Metrics;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;
using DialerCluster.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Dialing.Tests.Dialer;

/// <summary>
/// Grains over memory stores with a scripted gateway, on a hand-moved clock. The pacing timer is set to an hour, so
/// each pacing step is run by the test (<see cref="PaceAsync"/>) and nothing happens on its own.
/// </summary>
internal sealed class DialerWorld : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DialerWorld()
    {
        Stores = new MemoryStores { Now = GrainWorld.T0 };
        Clock = new ManualClock(GrainWorld.T0);
        var services = GrainWorld.Services(Stores, Clock);
        services.AddSingleton<ICallStore>(Calls);
        services.AddSingleton<ITelephonyGateway>(Gateway);
        services.AddDialer(new DialerOptions { PacingInterval = TimeSpan.FromHours(1) });
        services.AddDialerTelemetry();
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<GrainRuntime>();
        Board = _services.GetRequiredService<LiveBoard>();
        Metrics = _services.GetRequiredService<DialerMetrics>();
        Tracing = _services.GetRequiredService<DialerTracing>();
        Meters = _services.GetRequiredService<IMeterFactory>();
        _services.GetRequiredService<DoNotCallRegistry>().LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public MemoryStores Stores { get; }

    public MemoryCallStore Calls { get; } = new();

    public ScriptedGateway Gateway { get; } = new();

    public ManualClock Clock { get; }

    public GrainRuntime Runtime { get; }

    public LiveBoard Board { get; }

    public DialerMetrics Metrics { get; }

    public DialerTracing Tracing { get; }

    /// <summary>This world's meter factory: a listener filtering on it hears this world's metrics only.</summary>
    public IMeterFactory Meters { get; }

    public GrainRef<AgentGrain> Agent(long id) => Runtime.GetGrain<AgentGrain>(GrainKeys.Of(id));

    public GrainRef<CampaignGrain> Campaign(long id) => Runtime.GetGrain<CampaignGrain>(GrainKeys.Of(id));

    public async Task<long> CampaignAsync(CampaignSettings settings) => (await Stores.CreateAsync(settings, CancellationToken.None)).Id;

    public async Task<long> AddCaseAsync(long campaignId, string phone)
    {
        var caseId = Stores.AddCase(campaignId, phone);
        IReadOnlyList<CaseRouting> created = [Stores.Routing(caseId)];
        await Campaign(campaignId).CallAsync(created, static (g, c, _) => g.CasesCreatedAsync(c));
        return caseId;
    }

    public async Task<long> AgentAsync(long campaignId, string name)
    {
        var agent = await Stores.CreateAsync(name, CancellationToken.None);
        await Stores.AssignAgentAsync(campaignId, agent.Id, CancellationToken.None);
        await Campaign(campaignId).CallAsync(agent.Id, static (g, id, ct) => g.AssignAgentAsync(id, ct));
        return agent.Id;
    }

    public ValueTask<NextCaseStart> StartNextCaseAsync(long agentId, long campaignId) =>
        Agent(agentId).CallAsync(campaignId, static (g, id, ct) => g.StartNextCaseAsync(id, ct));

    public ValueTask<DialedLead?> StopWaitingAsync(long agentId, long campaignId) =>
        Campaign(campaignId).CallAsync(agentId, static (g, id, _) => g.StopWaitingAsync(id));

    public ValueTask<AgentView> AgentViewAsync(long agentId) => Agent(agentId).ReadAsync(static (g, _) => g.ViewAsync());

    /// <summary>One pacing step, then waits until the dials it started reached the gateway (durable writes first).</summary>
    public async Task<IReadOnlyList<(CallId Call, OriginateRequest Request)>> PaceAsync(long campaignId, int expectedNewDials)
    {
        var before = Gateway.Originated.Count;
        await Campaign(campaignId).CallAsync(static (g, _) => new ValueTask(g.PaceAsync()));
        await Eventually(() => Gateway.Originated.Count >= before + expectedNewDials);
        await SettleAsync(campaignId);
        return Gateway.Originated.Skip(before).ToArray();
    }

    /// <summary>Delivers a carrier event and waits until the campaign has handled it.</summary>
    public async Task RaiseAsync(long campaignId, CallEvent callEvent)
    {
        Gateway.Raise(callEvent);
        await SettleAsync(campaignId);
    }

    /// <summary>Turns are FIFO: an ordinary call queued now runs after every one-way turn queued before it.</summary>
    public async Task SettleAsync(long campaignId)
    {
        await Campaign(campaignId).CallAsync(static (g, _) => g.DialModeAsync());
        await Task.Delay(20);
        await Campaign(campaignId).CallAsync(static (g, _) => g.DialModeAsync());
    }

    public static async Task Eventually(Func<bool> condition)
    {
        // A wait for background writes to land, not a timing assertion: the deadline only stops a broken test.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the expected state was never reached");
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync();
        await _services.DisposeAsync();
    }
}
