using System.Data.Common;
using System.Globalization;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// What the store suites share: a fresh database per test, the seven stores on it, and small builders.
/// Times are whole milliseconds because both engines keep instants to the millisecond.
/// </summary>
public abstract class StoreSuiteBase : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The fence of a campaign no activation has claimed: what these tests write with unless they test the fence.</summary>
    protected static readonly CampaignEpoch Unclaimed = CampaignEpoch.Unclaimed;

    private static int s_phoneBlock;
    private readonly List<CaseStore> _caseStores = [];
    private IStoreEngine? _engine;

    internal IStoreEngine Engine => _engine ?? throw new InvalidOperationException("Not initialised.");

    internal SqlDialect Dialect => Engine.Dialect;

    internal ICampaignStore Campaigns { get; private set; } = null!;

    internal IAgentStore Agents { get; private set; } = null!;

    internal IContactStore Contacts { get; private set; } = null!;

    internal ICaseStore Cases { get; private set; } = null!;

    internal IDoNotCallStore DoNotCall { get; private set; } = null!;

    internal IUserStore Users { get; private set; } = null!;

    internal ICallStore Calls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _engine = await CreateEngineAsync();
        Campaigns = new CampaignStore(Dialect);
        Agents = new AgentStore(Dialect);
        Contacts = new ContactStore(Dialect);
        Cases = NewCaseStore();
        DoNotCall = new DoNotCallStore(Dialect);
        Users = new UserStore(Dialect);
        Calls = new CallStore(Dialect);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _caseStores)
        {
            await store.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    internal abstract Task<IStoreEngine> CreateEngineAsync();

    /// <summary>Another case store (its own group-commit writer) on the same database, as a second node or a restart would have.</summary>
    internal CaseStore NewCaseStore()
    {
        var store = new CaseStore(Dialect, Engine.NewCommitter());
        _caseStores.Add(store);
        return store;
    }

    protected static CampaignSettings Settings(string name = "Spring sale") => new() { Name = name };

    protected async Task<long> NewCampaignAsync(string name = "Spring sale") =>
        (await Campaigns.CreateAsync(Settings(name), CancellationToken.None)).Id;

    protected async Task<long> NewAgentAsync(string name = "Ada") => (await Agents.CreateAsync(name, CancellationToken.None)).Id;

    protected async Task<long[]> NewAgentsAsync(int count)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = await NewAgentAsync($"Agent {i}");
        }

        return ids;
    }

    /// <summary>Numbers no other test in this process uses: +4420 and eight digits from a block per call.</summary>
    protected static string[] Phones(int count)
    {
        var block = Interlocked.Increment(ref s_phoneBlock);
        return Enumerable.Range(0, count).Select(i => "+4420" + (block * 1_000_000 + i).ToString("D8", CultureInfo.InvariantCulture)).ToArray();
    }

    protected static ContactDraft Draft(string phone, int row = 2, string? zone = "Europe/London", string? name = null) =>
        new(row, name ?? $"Contact {phone}", [phone], null, null, null, "GB", zone, new Dictionary<string, string>());

    protected async Task<long[]> NewContactsAsync(int count, string? zone = "Europe/London")
    {
        var drafts = Phones(count).Select((p, i) => Draft(p, i + 2, zone)).ToList();
        var group = await Contacts.ImportGroupAsync("List", drafts, count, 0, CancellationToken.None);
        return (await Contacts.ContactIdsInGroupAsync(group, CancellationToken.None)).ToArray();
    }

    protected async Task<long[]> NewCasesAsync(long campaignId, int count, CasePriority priority = CasePriority.Low, long? owner = null)
    {
        var contacts = await NewContactsAsync(count);
        var created = await Cases.CreateCasesAsync(campaignId, contacts, priority, owner, T0, CancellationToken.None);
        return created.Created.Select(c => c.CaseId).ToArray();
    }

    protected async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await Dialect.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await Dialect.OpenAsync(CancellationToken.None);
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected static CaseRelease Release(long caseId, long agentId, int attempts = 1, DateTimeOffset? next = null, CallOutcome outcome = CallOutcome.NoAnswer) =>
        new(caseId, agentId, T0.AddMinutes(5), attempts, next, CaseActivity.CallAttempt(outcome, T0.AddMinutes(5), agentId.ToString(CultureInfo.InvariantCulture)), Unclaimed);
}
