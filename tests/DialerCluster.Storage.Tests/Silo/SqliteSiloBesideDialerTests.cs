using Orleans.TestingHost;

namespace DialerCluster.Storage.Tests.Silo;

/// <summary>
/// Orleans's grain writes and the dialer's group-committed holds on one SQLite file (WAL, synchronous=FULL,
/// the background checkpointer running): SQLite has one writer at a time, so each side waits for the
/// other in SQLite's busy handler and neither ever sees "database is locked".
/// </summary>
public sealed class SqliteSiloBesideDialerTests : StoreSuiteBase
{
    private const int AgentCount = 20;
    private const int Grains = 40;
    private const int Rounds = 25;

    private SqliteStoreEngine? _sqlite;

    internal override async Task<IStoreEngine> CreateEngineAsync() => _sqlite = await SqliteStoreEngine.CreateAsync();

    [Fact]
    public async Task Grain_state_writes_beside_durable_holds_on_one_SQLite_file_all_commit()
    {
        var file = _sqlite!.DatabasePath;
        var storage = new StorageOptions { DataFolder = Path.GetDirectoryName(file)!, SqliteFile = Path.GetFileName(file) };
        var campaign = await NewCampaignAsync();
        var agents = await NewAgentsAsync(AgentCount);
        var cases = await NewCasesAsync(campaign, AgentCount * Rounds);
        await using var cluster = await SiloStorageFixture.StartClusterAsync(storage);

        var holds = agents.Select((agent, a) => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var caseId = cases[a * Rounds + round];
                Assert.NotNull(await Cases.TryHoldAsync(caseId, agent, T0, Unclaimed, CancellationToken.None));
                Assert.True(await Cases.ReleaseAsync(Release(caseId, agent), CancellationToken.None));
            }
        }));
        var writes = Enumerable.Range(0, Grains).Select(g => Task.Run(async () =>
        {
            var grain = cluster.Client.GetGrain<ITallyGrain>($"beside-{g}");
            for (var round = 0; round < Rounds; round++)
            {
                await grain.AddAsync(1);
            }
        }));
        await Task.WhenAll(holds.Concat(writes));

        await Task.WhenAll(Enumerable.Range(0, Grains).Select(async g =>
        {
            var grain = cluster.Client.GetGrain<ITallyGrain>($"beside-{g}");
            await cluster.DeactivateAsync(grain);
            Assert.Equal(Rounds, await grain.CountAsync());
        }));
    }
}
