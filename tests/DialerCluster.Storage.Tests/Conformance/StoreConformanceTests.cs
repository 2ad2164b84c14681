using System.Data.Common;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// The one store test suite: every engine runs exactly these tests against a fresh, empty database
/// (see <see cref="SqliteStoreTests"/> and <see cref="PostgresStoreTests"/>).
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private static readonly string[] DialerTables =
    [
        "agent_state_days", "agent_state_log", "agents", "audit_log", "auth_changes", "auth_sessions", "call_days", "call_ratings", "calls",
        "campaign_agents", "campaigns", "case_activities", "cases", "contact_groups", "contacts", "data_protection_keys", "dnc",
        "import_rejections", "schema_version", "setup_leases", "users",
    ];

    /// <summary>The named queries Orleans 10.4's ADO.NET grain storage and reminder providers read on every engine.</summary>
    private static readonly string[] StorageAndReminderQueries =
    [
        "ClearStorageKey", "DeleteReminderRowKey", "DeleteReminderRowsKey", "ReadFromStorageKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "ReadReminderRowKey", "ReadReminderRowsKey", "UpsertReminderRowKey", "WriteToStorageKey",
    ];

    /// <summary>The named queries of Orleans 10.4's ADO.NET membership provider (PostgreSQL only).</summary>
    protected static readonly string[] MembershipQueries =
    [
        "CleanupDefunctSiloEntriesKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "InsertMembershipKey",
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
    ];

    /// <summary>Orleans's tables on this engine, lower case.</summary>
    protected abstract IReadOnlyList<string> OrleansTables { get; }

    /// <summary>The named queries this engine's schema serves Orleans beyond storage and reminders.</summary>
    protected abstract IReadOnlyList<string> EngineOnlyQueries { get; }

    private IReadOnlyList<string> ExpectedTables => DialerTables.Concat(OrleansTables).Order(StringComparer.Ordinal).ToList();

    private readonly List<IAsyncDisposable> _disposables = [];

    protected abstract StorageDialect Dialect { get; }

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        try
        {
            var (migrator, _) = CreateNode();
            await migrator.MigrateAsync(CancellationToken.None);
        }
        catch
        {
            // xunit skips DisposeAsync when InitializeAsync throws: clean up here.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        var (migrator, connections) = CreateNode();

        var second = await migrator.MigrateAsync(CancellationToken.None);
        var recordedBefore = await RecordedMigrationsAsync(connections);
        var third = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Empty(second.Applied);
        Assert.Empty(third.Applied);
        Assert.Equal(second.CurrentVersion, third.PreviousVersion);
        Assert.Equal(third.PreviousVersion, third.CurrentVersion);
        Assert.Equal(recordedBefore, await RecordedMigrationsAsync(connections));
    }

    [Fact]
    public async Task A_fresh_database_gets_every_table_of_the_schema()
    {
        await RecreateDatabaseAsync();
        var (migrator, connections) = CreateNode();

        var result = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(0, result.PreviousVersion);
        Assert.NotEmpty(result.Applied);
        Assert.Equal(ExpectedTables, await TablesAsync(connections));
        Assert.Equal(result.Applied.Count, (await RecordedMigrationsAsync(connections)).Count);
    }

    [Fact]
    public async Task The_schema_serves_every_named_query_the_Orleans_providers_read_and_no_other()
    {
        var (_, connections) = CreateNode();
        var keys = new List<string>();
        await using var connection = await connections.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey FROM OrleansQuery";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        Assert.Equal(StorageAndReminderQueries.Concat(EngineOnlyQueries).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Several_nodes_migrating_a_fresh_database_at_once_all_succeed_and_apply_each_migration_once()
    {
        await RecreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => CreateNode()).ToArray();
        using var start = new Barrier(nodes.Length);

        var results = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await node.Migrator.MigrateAsync(CancellationToken.None);
        })));

        var applied = results.SelectMany(r => r.Applied).ToList();
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        Assert.Contains(results, r => r.Applied.Count > 0);
        Assert.All(results, r => Assert.Equal(results[0].CurrentVersion, r.CurrentVersion));
        Assert.Equal(applied.Count, (await RecordedMigrationsAsync(nodes[0].Connections)).Count);
        Assert.Equal(ExpectedTables, await TablesAsync(nodes[0].Connections));
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_afterwards_stops_the_start_up()
    {
        var (migrator, connections) = CreateNode();
        await ExecuteAsync(connections, "UPDATE schema_version SET checksum = 'edited' WHERE version = 1");

        var mismatch = await Assert.ThrowsAsync<SchemaMismatchException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.Contains("0001_initial", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_refuses_a_second_case_held_by_the_same_agent()
    {
        var (_, connections) = CreateNode();
        await ExecuteAsync(connections, "INSERT INTO agents (id, name) VALUES (1, 'Ada')");
        await ExecuteAsync(connections, "INSERT INTO campaigns (id, name) VALUES (1, 'Spring')");
        await ExecuteAsync(connections, "INSERT INTO contacts (id, name, primary_phone) VALUES (1, 'A', '+48600000001'), (2, 'B', '+48600000002')");
        await ExecuteAsync(connections, $"INSERT INTO cases (id, campaign_id, contact_id, holder_agent_id, held_at) VALUES (1, 1, 1, 1, {NowSql})");

        await Assert.ThrowsAnyAsync<DbException>(
            () => ExecuteAsync(connections, $"INSERT INTO cases (id, campaign_id, contact_id, holder_agent_id, held_at) VALUES (2, 1, 2, 1, {NowSql})"));
    }

    [Theory]
    [InlineData("600000001")]
    [InlineData("+0600000001")]
    [InlineData("+48 600 000 001")]
    [InlineData("+4860000000123456")]
    public async Task The_schema_refuses_a_primary_phone_that_is_not_E164(string phone)
    {
        var (_, connections) = CreateNode();

        await Assert.ThrowsAnyAsync<DbException>(
            () => ExecuteAsync(connections, $"INSERT INTO contacts (name, primary_phone) VALUES ('A', '{phone}')"));
    }

    [Fact]
    public async Task The_schema_refuses_a_case_status_outside_the_funnel()
    {
        var (_, connections) = CreateNode();
        await ExecuteAsync(connections, "INSERT INTO campaigns (id, name) VALUES (1, 'Spring')");
        await ExecuteAsync(connections, "INSERT INTO contacts (id, name, primary_phone) VALUES (1, 'A', '+48600000001')");

        await Assert.ThrowsAnyAsync<DbException>(
            () => ExecuteAsync(connections, "INSERT INTO cases (campaign_id, contact_id, status) VALUES (1, 1, 'maybe')"));
    }

    [Fact]
    public async Task The_schema_refuses_a_case_for_a_contact_that_does_not_exist()
    {
        var (_, connections) = CreateNode();
        await ExecuteAsync(connections, "INSERT INTO campaigns (id, name) VALUES (1, 'Spring')");

        await Assert.ThrowsAnyAsync<DbException>(
            () => ExecuteAsync(connections, "INSERT INTO cases (campaign_id, contact_id) VALUES (1, 42)"));
    }

    /// <summary>The current instant in the dialect's representation, as SQL.</summary>
    protected abstract string NowSql { get; }

    /// <summary>Creates the fresh, empty database this test runs against.</summary>
    protected abstract Task CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    /// <summary>A migrator and connection factory with their own connection pool, as a separate node would have.</summary>
    protected abstract (ISchemaMigrator Migrator, IStorageConnectionFactory Connections) CreateNode();

    protected abstract string ListTablesSql { get; }

    /// <summary>Registers something the test made, to dispose before the database is dropped.</summary>
    protected void Track(IAsyncDisposable disposable) => _disposables.Add(disposable);

    private async Task RecreateDatabaseAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        _disposables.Clear();
        await DropDatabaseAsync();
        await CreateDatabaseAsync();
    }

    private async Task<List<string>> TablesAsync(IStorageConnectionFactory connections)
    {
        var tables = new List<string>();
        await using var connection = await connections.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = ListTablesSql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0).ToLowerInvariant());
        }

        tables.Sort(StringComparer.Ordinal);
        return tables;
    }

    private static async Task<List<string>> RecordedMigrationsAsync(IStorageConnectionFactory connections)
    {
        var rows = new List<string>();
        await using var connection = await connections.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, checksum FROM schema_version ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetInt32(0)} {reader.GetString(1)} {reader.GetString(2)}");
        }

        return rows;
    }

    private static async Task ExecuteAsync(IStorageConnectionFactory connections, string sql)
    {
        await using var connection = await connections.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
