using System.Data.Common;
using DialerCluster.Runtime;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// The one store test suite: every engine runs exactly these tests against a fresh, empty database
/// (see <see cref="SqliteStoreTests"/> and <see cref="PostgresStoreTests"/>).
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private const string State = "state";
    private const int Writers = 12;

    private static readonly string[] ExpectedTables =
    [
        "agent_state_log", "agents", "audit_log", "auth_changes", "auth_sessions", "calls", "campaign_agents", "campaigns",
        "case_activities", "cases", "contact_groups", "contacts", "data_protection_keys", "dnc", "grain_state", "schema_version", "users",
    ];

    private readonly List<IAsyncDisposable> _disposables = [];
    private IGrainStorage? _storage;

    protected abstract StorageDialect Dialect { get; }

    /// <summary>The grain storage under test on the migrated database.</summary>
    protected IGrainStorage Storage => _storage ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        try
        {
            var (migrator, _) = CreateNode();
            await migrator.MigrateAsync(CancellationToken.None);
            _storage = CreateGrainStorage();
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
    public async Task Reading_a_state_never_written_gives_null()
    {
        Assert.Null(await Storage.ReadAsync(State, Grain("never"), CancellationToken.None));
    }

    [Fact]
    public async Task A_first_write_with_no_expected_etag_is_read_back_with_its_etag()
    {
        var grain = Grain("first");
        var etag = await Storage.WriteAsync(State, grain, Bytes("hello"), expectedETag: null, CancellationToken.None);

        var stored = await Storage.ReadAsync(State, grain, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(Bytes("hello"), stored.Data);
        Assert.Equal(etag, stored.ETag);
    }

    [Fact]
    public async Task A_first_write_over_an_existing_record_is_refused_with_both_etags()
    {
        var grain = Grain("taken");
        var etag = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(State, grain, Bytes("two"), null, CancellationToken.None));

        Assert.Equal(etag, conflict.StoredETag);
        Assert.Null(conflict.CurrentETag);
        Assert.Equal(Bytes("one"), (await Storage.ReadAsync(State, grain, CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task A_write_with_the_current_etag_succeeds_and_changes_the_etag()
    {
        var grain = Grain("current");
        var first = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);

        var second = await Storage.WriteAsync(State, grain, Bytes("two"), first, CancellationToken.None);

        Assert.NotEqual(first, second);
        var stored = await Storage.ReadAsync(State, grain, CancellationToken.None);
        Assert.Equal(Bytes("two"), stored!.Data);
        Assert.Equal(second, stored.ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_with_both_etags_and_changes_nothing()
    {
        var grain = Grain("stale");
        var first = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);
        var second = await Storage.WriteAsync(State, grain, Bytes("two"), first, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(State, grain, Bytes("lost update"), first, CancellationToken.None));

        Assert.Equal(second, conflict.StoredETag);
        Assert.Equal(first, conflict.CurrentETag);
        Assert.Equal(Bytes("two"), (await Storage.ReadAsync(State, grain, CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task A_write_with_an_etag_to_a_missing_record_is_refused()
    {
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(State, Grain("missing"), Bytes("x"), "1", CancellationToken.None));

        Assert.Null(conflict.StoredETag);
        Assert.Equal("1", conflict.CurrentETag);
    }

    [Fact]
    public async Task An_etag_the_store_never_issued_is_a_conflict()
    {
        var grain = Grain("foreign");
        await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(State, grain, Bytes("two"), "W/\"not-ours\"", CancellationToken.None));
    }

    [Fact]
    public async Task Clearing_with_the_current_etag_removes_the_state()
    {
        var grain = Grain("clear");
        var etag = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);

        await Storage.ClearAsync(State, grain, etag, CancellationToken.None);

        Assert.Null(await Storage.ReadAsync(State, grain, CancellationToken.None));
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_is_refused_and_keeps_the_state()
    {
        var grain = Grain("clear-stale");
        var first = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);
        var second = await Storage.WriteAsync(State, grain, Bytes("two"), first, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.ClearAsync(State, grain, first, CancellationToken.None));

        Assert.Equal(second, conflict.StoredETag);
        Assert.Equal(first, conflict.CurrentETag);
        Assert.Equal(Bytes("two"), (await Storage.ReadAsync(State, grain, CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task Clearing_a_record_the_caller_did_not_know_about_is_refused()
    {
        var grain = Grain("clear-unknown");
        var etag = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.ClearAsync(State, grain, null, CancellationToken.None));

        Assert.Equal(etag, conflict.StoredETag);
    }

    [Fact]
    public async Task Clearing_nothing_with_no_etag_is_allowed()
    {
        await Storage.ClearAsync(State, Grain("clear-nothing"), null, CancellationToken.None);

        Assert.Null(await Storage.ReadAsync(State, Grain("clear-nothing"), CancellationToken.None));
    }

    [Fact]
    public async Task After_a_clear_a_new_first_write_succeeds_and_an_etag_from_before_the_clear_never_matches_again()
    {
        var grain = Grain("recreate");
        var before = await Storage.WriteAsync(State, grain, Bytes("one"), null, CancellationToken.None);
        await Storage.ClearAsync(State, grain, before, CancellationToken.None);

        var after = await Storage.WriteAsync(State, grain, Bytes("two"), null, CancellationToken.None);

        Assert.NotEqual(before, after);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => Storage.WriteAsync(State, grain, Bytes("from a stale activation"), before, CancellationToken.None));
        Assert.Equal(Bytes("two"), (await Storage.ReadAsync(State, grain, CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task States_are_kept_apart_by_grain_type_key_and_state_name()
    {
        await Storage.WriteAsync("a", new GrainId("Case", "1"), Bytes("case 1 a"), null, CancellationToken.None);
        await Storage.WriteAsync("b", new GrainId("Case", "1"), Bytes("case 1 b"), null, CancellationToken.None);
        await Storage.WriteAsync("a", new GrainId("Case", "2"), Bytes("case 2 a"), null, CancellationToken.None);
        await Storage.WriteAsync("a", new GrainId("Agent", "1"), Bytes("agent 1 a"), null, CancellationToken.None);

        Assert.Equal(Bytes("case 1 a"), (await Storage.ReadAsync("a", new GrainId("Case", "1"), CancellationToken.None))!.Data);
        Assert.Equal(Bytes("case 1 b"), (await Storage.ReadAsync("b", new GrainId("Case", "1"), CancellationToken.None))!.Data);
        Assert.Equal(Bytes("case 2 a"), (await Storage.ReadAsync("a", new GrainId("Case", "2"), CancellationToken.None))!.Data);
        Assert.Equal(Bytes("agent 1 a"), (await Storage.ReadAsync("a", new GrainId("Agent", "1"), CancellationToken.None))!.Data);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1_000_000)]
    public async Task Payloads_round_trip_byte_for_byte_including_empty_and_large_ones(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        var grain = Grain("payload-" + length);

        var etag = await Storage.WriteAsync(State, grain, payload, null, CancellationToken.None);

        var stored = await Storage.ReadAsync(State, grain, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(payload, stored.Data);
    }

    [Fact]
    public async Task A_slice_of_a_larger_buffer_is_stored_as_just_that_slice()
    {
        var buffer = Bytes("xxhelloxx");
        var grain = Grain("slice");

        await Storage.WriteAsync(State, grain, buffer.AsMemory(2, 5), null, CancellationToken.None);

        Assert.Equal(Bytes("hello"), (await Storage.ReadAsync(State, grain, CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task Of_concurrent_first_writers_exactly_one_wins()
    {
        var grain = Grain("race-first");

        var outcomes = await RaceAsync(writer => Storage.WriteAsync(State, grain, Bytes($"writer {writer}"), null, CancellationToken.None));

        await AssertExactlyOneWonAsync(grain, outcomes);
    }

    [Fact]
    public async Task Of_concurrent_writers_with_the_same_etag_exactly_one_wins()
    {
        var grain = Grain("race-update");
        var etag = await Storage.WriteAsync(State, grain, Bytes("start"), null, CancellationToken.None);

        // Each writer uses its own storage instance (own connection pool), as two nodes would.
        var storages = Enumerable.Range(0, Writers).Select(_ => CreateGrainStorage()).ToArray();
        var outcomes = await RaceAsync(writer => storages[writer].WriteAsync(State, grain, Bytes($"writer {writer}"), etag, CancellationToken.None));

        await AssertExactlyOneWonAsync(grain, outcomes);
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
    public async Task Two_nodes_migrating_a_fresh_database_at_once_both_succeed_and_apply_each_migration_once()
    {
        await RecreateDatabaseAsync();
        var nodes = new[] { CreateNode(), CreateNode() };
        using var start = new Barrier(nodes.Length);

        var results = await Task.WhenAll(nodes.Select(node => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await node.Migrator.MigrateAsync(CancellationToken.None);
        })));

        var applied = results.SelectMany(r => r.Applied).ToList();
        Assert.Equal(applied.Distinct().Count(), applied.Count);
        Assert.Contains(results, r => r.Applied.Count > 0);
        Assert.Equal(results[0].CurrentVersion, results[1].CurrentVersion);
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

    protected abstract IGrainStorage CreateGrainStorage();

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

    private static async Task<(int Writer, string? ETag, InconsistentStateException? Conflict)[]> RaceAsync(Func<int, Task<string>> write)
    {
        using var start = new Barrier(Writers);
        return await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            start.SignalAndWait();
            try
            {
                return (writer, (string?)await write(writer), (InconsistentStateException?)null);
            }
            catch (InconsistentStateException conflict)
            {
                return (writer, null, conflict);
            }
        })));
    }

    private async Task AssertExactlyOneWonAsync(GrainId grain, (int Writer, string? ETag, InconsistentStateException? Conflict)[] outcomes)
    {
        var winner = Assert.Single(outcomes, o => o.ETag is not null);
        Assert.Equal(Writers - 1, outcomes.Count(o => o.Conflict is not null));
        var stored = await Storage.ReadAsync(State, grain, CancellationToken.None);
        Assert.Equal(Bytes($"writer {winner.Writer}"), stored!.Data);
        Assert.Equal(winner.ETag, stored.ETag);
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
            tables.Add(reader.GetString(0));
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

    private GrainId Grain(string key) => new("TestGrain", $"{Dialect}-{key}");

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
