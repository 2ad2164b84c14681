using System.Diagnostics.Metrics;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Dialing.Tests.Dialer;

/// <summary>
/// One test's grains over memory stores with a scripted gateway, on a hand-moved clock, on the class's silo. The pacing
/// timer is set to an hour, so each pacing step is run by the test (<see cref="PaceAsync"/>) and nothing happens on its own.
/// </summary>
internal sealed class DialerWorld : IAsyncDisposable
{
    private readonly GrainWorld _world;
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public DialerWorld(GrainSilo silo)
    {
        var parts = new WorldParts(new MemoryStores { Now = GrainWorld.T0 }, new ManualClock(GrainWorld.T0))
        {
            Gateway = new ScriptedGateway(),
            Calls = new MemoryCallStore(),
            Dialer = new DialerOptions { PacingInterval = TimeSpan.FromHours(1) },
        };
        parts.Metrics = new DialerMetrics(Meters, parts.Board, parts.Clock);
        parts.Tracing = new DialerTracing();
        _world = new GrainWorld(silo, parts);
    }

    public MemoryStores Stores => _world.Stores;

    public MemoryCallStore Calls => _world.Parts.Calls!;

    public ScriptedGateway Gateway => _world.Parts.Gateway!;

    public ManualClock Clock => _world.Clock;

    public LiveBoard Board => _world.Board;

    public DialerMetrics Metrics => _world.Parts.Metrics!;

    public DialerTracing Tracing => _world.Parts.Tracing!;

    /// <summary>This world's meter factory: a listener filtering on it hears this world's metrics only.</summary>
    public IMeterFactory Meters => _meters.GetRequiredService<IMeterFactory>();

    /// <summary>This world's stores on a silo of its own: a second node, whose campaign activations claim the campaigns anew.</summary>
    public Task<GrainWorld> OtherNodeAsync() => _world.RestartedAsync();

    /// <summary>A second node over this world's stores and call log that dials through <paramref name="gateway"/>, its own carrier.</summary>
    public Task<GrainWorld> OtherDialingNodeAsync(ScriptedGateway gateway) => _world.RestartedAsync(gateway: gateway);

    public IAgentGrain Agent(long id) => _world.Agent(id);

    public ICampaignGrain Campaign(long id) => _world.Campaign(id);

    public async Task<long> CampaignAsync(CampaignSettings settings) => await _world.CampaignAsync(settings);

    public Task<long> AddCaseAsync(long campaignId, string phone) => _world.AddCaseAsync(campaignId, phone);

    public Task<long> AgentAsync(long campaignId, string name) => _world.AgentAsync(campaignId, name);

    public Task<NextCaseStart> StartNextCaseAsync(long agentId, long campaignId) => Agent(agentId).StartNextCaseAsync(campaignId);

    public async Task<DialedLead?> StopWaitingAsync(long agentId, long campaignId) => (await Campaign(campaignId).StopWaitingAsync(agentId)).Lead;

    /// <summary>
    /// The lead connected to a waiting agent, as the long poll collects it. The wait only stops a broken test (a lost answer
    /// would leave the agent waiting for ever); the tests raise the answer before they ask.
    /// </summary>
    public async Task<DialedLead?> LeadAsync(long agentId, long campaignId) => (await Campaign(campaignId).AwaitLeadAsync(agentId, TimeSpan.FromSeconds(10))).Lead;

    /// <summary>The lead connected to a waiting agent if there is one now, or why the wait ended; without waiting.</summary>
    public Task<LeadPoll> PollAsync(long agentId, long campaignId) => Campaign(campaignId).AwaitLeadAsync(agentId, TimeSpan.Zero);

    public async Task<DialedLead?> LeadOfAsync(long agentId, long campaignId) => (await PollAsync(agentId, campaignId)).Lead;

    public Task<AgentView> AgentViewAsync(long agentId) => _world.AgentViewAsync(agentId);

    /// <summary>One pacing step, then waits until the dials it started reached the gateway (durable writes first).</summary>
    public async Task<IReadOnlyList<(CallId Call, OriginateRequest Request)>> PaceAsync(long campaignId, int expectedNewDials)
    {
        var before = Gateway.Originated.Count;
        await _world.CampaignTurns(campaignId).PaceAsync();
        await Eventually(() => Gateway.Originated.Count >= before + expectedNewDials);
        await SettleAsync(campaignId);
        return Gateway.Originated.Skip(before).ToArray();
    }

    /// <summary>The campaign's timers' work, run by the test when it chooses.</summary>
    public ICampaignTurns CampaignTurns(long campaignId) => _world.CampaignTurns(campaignId);

    /// <summary>Whether the campaign's pacing timer runs.</summary>
    public Task<bool> IsPacingAsync(long campaignId) => _world.CampaignTurns(campaignId).IsPacingAsync();

    /// <summary>Delivers a carrier event and waits until the campaign has handled it.</summary>
    public async Task RaiseAsync(long campaignId, CallEvent callEvent)
    {
        Gateway.Raise(callEvent);
        await SettleAsync(campaignId);
    }

    /// <summary>
    /// Requests that do not interleave run in arrival order: a call of that kind queued now runs after every one-way turn
    /// (call event, dial callback) queued before it. Twice, for the turns those turns queued in their turn.
    /// </summary>
    public async Task SettleAsync(long campaignId)
    {
        var turns = _world.CampaignTurns(campaignId);
        await turns.IsPacingAsync();
        await Task.Delay(20);
        await turns.IsPacingAsync();
    }

    public static async Task Eventually(Func<bool> condition)
    {
        // A wait for background writes and one-way turns to land, not a timing assertion: the deadline only stops a
        // broken test, and is generous because the machine running the tests may be busy.
        for (var i = 0; i < 2_000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "the expected state was never reached");
    }

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        await _meters.DisposeAsync();
    }
}
