using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Dialer;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DialerCluster.Dialing.Tests.Grains;

/// <summary>A clock the test moves by hand (timers still run on real time; tests call the timers' work directly).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>
/// What the grains of one test see: memory stores, the hand-moved clock, the live board and do-not-call list, and for
/// the dialer's tests a scripted gateway, a call log and the event router. Each test makes its own.
/// </summary>
internal sealed class WorldParts(MemoryStores stores, ManualClock clock, GrainStateTable? grainState = null)
{
    public MemoryStores Stores { get; } = stores;

    /// <summary>The grains' own state (IPersistentState), kept like the stores across a restart.</summary>
    public GrainStateTable GrainState { get; } = grainState ?? new();

    public ManualClock Clock { get; } = clock;

    public LiveBoard Board { get; } = new(clock);

    public DoNotCallRegistry DoNotCall { get; } = new(stores);

    public ScriptedGateway? Gateway { get; init; }

    public MemoryCallStore? Calls { get; init; }

    public DialerOptions? Dialer { get; init; }

    /// <summary>The dialer's metrics and spans, for the tests that read them; the grains record nothing without.</summary>
    public DialerMetrics? Metrics { get; set; }

    public DialerTracing? Tracing { get; set; }

    /// <summary>Set once the silo's grain factory is known (the router sends call events to campaign grains).</summary>
    public CallEventRouter? Router { get; set; }
}

/// <summary>
/// A real Orleans silo (Orleans's in-process test cluster) shared by the tests of one class. The grains resolve their
/// stores, clock, board and gateway from the current test's <see cref="WorldParts"/> when they activate; ids are unique
/// across worlds (<see cref="MemoryStores"/>), so no test ever meets a grain activated for another.
/// </summary>
public sealed class GrainSilo : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    internal WorldParts? Current { get; set; }

    /// <summary>Calls go through Orleans's client, so every message and refusal crosses the serializer as between nodes.</summary>
    public IGrainFactory Grains => Cluster.Client;

    internal InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The silo is not started.");

    public async Task InitializeAsync() => _cluster = await StartAsync(() => Current);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A one-silo cluster whose grains see <paramref name="parts"/>; a second one over the same stores is a restarted node.</summary>
    internal static async Task<InProcessTestCluster> StartAsync(Func<WorldParts?> current)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.ConfigureServices(services => AddWorld(services, current)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static void AddWorld(IServiceCollection services, Func<WorldParts?> current)
    {
        WorldParts parts() => current() ?? throw new InvalidOperationException("No world is current.");

        // Transient: each activation takes the parts of the world current when it activates. The silo itself resolves the
        // default grain storage once while it starts, before any test's world exists: it gets a table nobody reads.
        services.AddTransient<IGrainStorage>(_ => current()?.GrainState ?? new GrainStateTable());
        services.AddTransient<ICampaignStore>(_ => parts().Stores);
        services.AddTransient<IAgentStore>(_ => parts().Stores);
        services.AddTransient<IContactStore>(_ => parts().Stores);
        services.AddTransient<ICaseStore>(_ => parts().Stores);
        services.AddTransient<IDoNotCallStore>(_ => parts().Stores);
        services.AddKeyedTransient<TimeProvider>(DialerClock.Key, (_, _) => parts().Clock);
        services.AddTransient(_ => parts().Board);
        services.AddTransient(_ => parts().DoNotCall);
        services.AddTransient<ITelephonyGateway>(_ => parts().Gateway!);
        services.AddTransient<ICallStore>(_ => parts().Calls!);
        services.AddTransient(_ => parts().Dialer!);
        services.AddTransient(sp =>
        {
            var world = parts();
            return world.Gateway is null ? null! : world.Router ??= new CallEventRouter(world.Gateway, sp.GetRequiredService<IGrainFactory>(), world.Metrics);
        });
        services.AddTransient(_ => parts().Metrics!);
        services.AddTransient(_ => parts().Tracing!);
        services.AddSingleton<IIdentificationMessage, NoIdentificationMessage>();
    }
}

/// <summary>One test's world on the class's silo. A world over the same stores on a new silo is a restarted node.</summary>
internal sealed class GrainWorld : IAsyncDisposable
{
    /// <summary>Monday 2025-03-10 12:00 UTC: 13:00 in Berlin, inside the default calling window.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly InProcessTestCluster? _ownCluster;

    public GrainWorld(GrainSilo silo, WorldParts? parts = null)
    {
        Parts = parts ?? new WorldParts(new MemoryStores { Now = T0 }, new ManualClock(T0));
        silo.Current = Parts;
        Grains = silo.Grains;
        Parts.DoNotCall.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private GrainWorld(InProcessTestCluster cluster, WorldParts parts)
    {
        _ownCluster = cluster;
        Parts = parts;
        Grains = cluster.Client;
    }

    public WorldParts Parts { get; }

    public MemoryStores Stores => Parts.Stores;

    public ManualClock Clock => Parts.Clock;

    public LiveBoard Board => Parts.Board;

    public DoNotCallRegistry DoNotCall => Parts.DoNotCall;

    public IGrainFactory Grains { get; }

    /// <summary>
    /// This world's stores, clock and grain state on a silo of their own, as a node restarted over the same database
    /// would see them; with <paramref name="grainState"/>, another grain state (an empty one: from before grain state existed);
    /// with <paramref name="gateway"/>, a node that dials through its own carrier into this world's call log.
    /// </summary>
    public async Task<GrainWorld> RestartedAsync(GrainStateTable? grainState = null, ScriptedGateway? gateway = null)
    {
        var parts = new WorldParts(Stores, Clock, grainState ?? Parts.GrainState)
        {
            Gateway = gateway,
            Calls = gateway is null ? null : Parts.Calls,
            Dialer = gateway is null ? null : Parts.Dialer,
            Metrics = Parts.Metrics,
        };
        await parts.DoNotCall.LoadAsync(CancellationToken.None);
        return new GrainWorld(await GrainSilo.StartAsync(() => parts), parts);
    }

    public IAgentGrain Agent(long id) => Grains.GetGrain<IAgentGrain>(id);

    public ICampaignGrain Campaign(long id) => Grains.GetGrain<ICampaignGrain>(id);

    public ICaseGrain Case(long id) => Grains.GetGrain<ICaseGrain>(id);

    /// <summary>The campaign's timers' work, run by the test when it chooses.</summary>
    public ICampaignTurns CampaignTurns(long id) => Grains.GetGrain<ICampaignTurns>(id);

    public async Task<long> CampaignAsync(CampaignSettings? settings = null)
    {
        var record = await Stores.CreateAsync(settings ?? new CampaignSettings { Name = "spring leads" }, CancellationToken.None);
        return record.Id;
    }

    /// <summary>A case created the way the API creates them: in the store, then announced to its campaign.</summary>
    public async Task<long> AddCaseAsync(long campaignId, string phone, CasePriority priority = CasePriority.Low, long? owner = null, DateTimeOffset? createdAt = null)
    {
        var caseId = Stores.AddCase(campaignId, phone, priority, owner, createdAt);
        await Campaign(campaignId).CasesCreatedAsync([Stores.Routing(caseId)]);
        return caseId;
    }

    /// <summary>An agent assigned to the campaign (in the store, then through the campaign).</summary>
    public async Task<long> AgentAsync(long campaignId, string name = "Ada")
    {
        var agent = await Stores.CreateAsync(name, CancellationToken.None);
        await Stores.AssignAgentAsync(campaignId, agent.Id, CancellationToken.None);
        await Campaign(campaignId).AssignAgentAsync(agent.Id);
        return agent.Id;
    }

    /// <summary>An agent assigned to the campaign and ready.</summary>
    public async Task<long> ReadyAgentAsync(long campaignId, string name = "Ada")
    {
        var agentId = await AgentAsync(campaignId, name);
        await SetStatusAsync(agentId, AgentState.Ready);
        return agentId;
    }

    public Task<AgentView> SetStatusAsync(long agentId, AgentState state, string? reason = null) =>
        Agent(agentId).SetStatusAsync(state, reason);

    public Task<NextCaseOffer?> NextCaseAsync(long agentId, long campaignId) => Agent(agentId).NextCaseAsync(campaignId);

    public Task<CompletedCase> CompleteAsync(long agentId, CallOutcome outcome) => Agent(agentId).CompleteAsync(outcome);

    public Task<CampaignView> CampaignViewAsync(long campaignId) => Campaign(campaignId).ViewAsync();

    public Task<AgentView> AgentViewAsync(long agentId) => Agent(agentId).ViewAsync();

    public async ValueTask DisposeAsync()
    {
        if (_ownCluster is not null)
        {
            await _ownCluster.DisposeAsync();
        }
    }
}
