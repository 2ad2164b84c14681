using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Dialing.Tests.Grains;

/// <summary>A clock the test moves by hand (timers still run on real time; tests call the timer work directly).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A grain runtime over <see cref="MemoryStores"/>. A second world over the same stores is a restarted node.</summary>
internal sealed class GrainWorld : IAsyncDisposable
{
    /// <summary>Monday 2025-03-10 12:00 UTC: 13:00 in Berlin, inside the default calling window.</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    /// <summary>The grains on the memory stores and the hand-moved clock; the dialer's world adds its gateway to these.</summary>
    public static ServiceCollection Services(MemoryStores stores, ManualClock clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddGrainRuntime();
        services.AddSingleton<ICampaignStore>(stores);
        services.AddSingleton<IAgentStore>(stores);
        services.AddSingleton<IContactStore>(stores);
        services.AddSingleton<ICaseStore>(stores);
        services.AddSingleton<IDoNotCallStore>(stores);
        services.AddDialingGrains();
        return services;
    }

    public GrainWorld(MemoryStores? stores = null, ManualClock? clock = null)
    {
        Stores = stores ?? new MemoryStores { Now = T0 };
        Clock = clock ?? new ManualClock(T0);
        _services = Services(Stores, Clock).BuildServiceProvider();
        Runtime = _services.GetRequiredService<GrainRuntime>();
        Board = _services.GetRequiredService<LiveBoard>();
        DoNotCall = _services.GetRequiredService<DoNotCallRegistry>();
        DoNotCall.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public MemoryStores Stores { get; }

    public ManualClock Clock { get; }

    public GrainRuntime Runtime { get; }

    public LiveBoard Board { get; }

    public DoNotCallRegistry DoNotCall { get; }

    public GrainRef<AgentGrain> Agent(long id) => Runtime.GetGrain<AgentGrain>(GrainKeys.Of(id));

    public GrainRef<CampaignGrain> Campaign(long id) => Runtime.GetGrain<CampaignGrain>(GrainKeys.Of(id));

    public GrainRef<CaseGrain> Case(long id) => Runtime.GetGrain<CaseGrain>(GrainKeys.Of(id));

    public async Task<long> CampaignAsync(CampaignSettings? settings = null)
    {
        var record = await Stores.CreateAsync(settings ?? new CampaignSettings { Name = "spring leads" }, CancellationToken.None);
        return record.Id;
    }

    /// <summary>A case created the way the API creates them: in the store, then announced to its campaign.</summary>
    public async Task<long> AddCaseAsync(long campaignId, string phone, CasePriority priority = CasePriority.Low, long? owner = null, DateTimeOffset? createdAt = null)
    {
        var caseId = Stores.AddCase(campaignId, phone, priority, owner, createdAt);
        IReadOnlyList<CaseRouting> created = [Stores.Routing(caseId)];
        await Campaign(campaignId).CallAsync(created, static (g, c, _) => g.CasesCreatedAsync(c));
        return caseId;
    }

    /// <summary>An agent assigned to the campaign and ready.</summary>
    public async Task<long> ReadyAgentAsync(long campaignId, string name = "Ada")
    {
        var agent = await Stores.CreateAsync(name, CancellationToken.None);
        await Stores.AssignAgentAsync(campaignId, agent.Id, CancellationToken.None);
        await Campaign(campaignId).CallAsync(agent.Id, static (g, id, ct) => g.AssignAgentAsync(id, ct));
        await SetStatusAsync(agent.Id, AgentState.Ready);
        return agent.Id;
    }

    public ValueTask<AgentView> SetStatusAsync(long agentId, AgentState state, string? reason = null) =>
        Agent(agentId).CallAsync((state, reason), static (g, a, ct) => g.SetStatusAsync(a.state, a.reason, ct));

    public ValueTask<NextCaseOffer?> NextCaseAsync(long agentId, long campaignId) =>
        Agent(agentId).CallAsync(campaignId, static (g, id, ct) => g.NextCaseAsync(id, ct));

    public ValueTask<CompletedCase> CompleteAsync(long agentId, CallOutcome outcome) =>
        Agent(agentId).CallAsync(outcome, static (g, o, ct) => g.CompleteAsync(o, ct));

    public ValueTask<CampaignView> CampaignViewAsync(long campaignId) =>
        Campaign(campaignId).ReadAsync(static (g, _) => g.ViewAsync());

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync();
        await _services.DisposeAsync();
    }
}
