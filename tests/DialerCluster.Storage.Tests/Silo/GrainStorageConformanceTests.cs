using System.Data.Common;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DialerCluster.Storage.Tests.Silo;

/// <summary>
/// Orleans's grain storage and reminders on the dialer's schema, through a real silo: the one suite both
/// engines pass (<see cref="SqliteGrainStorageConformanceTests"/>, <see cref="PostgresGrainStorageConformanceTests"/>).
/// Every test uses grain keys of its own, so the tests share one cluster.
/// </summary>
public abstract class GrainStorageConformanceTests(SiloStorageFixture silo)
{
    /// <summary>How long a reminder may take to tick on a loaded machine; the test returns at the first tick.</summary>
    private static readonly TimeSpan ReminderDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task State_written_by_a_grain_is_read_back_by_its_next_activation()
    {
        var grain = Tally(out _);
        await grain.AddAsync(2);
        await grain.AddAsync(3);

        await silo.Cluster.DeactivateAsync(grain);

        Assert.Equal(5, await grain.CountAsync());
    }

    [Fact]
    public async Task State_survives_a_restart_of_the_cluster()
    {
        var key = NewKey();
        await using (var before = await silo.StartClusterAsync())
        {
            await before.Client.GetGrain<ITallyGrain>(key).AddAsync(7);
            await before.StopAllSilosAsync();
        }

        await using var after = await silo.StartClusterAsync();

        Assert.Equal(7, await after.Client.GetGrain<ITallyGrain>(key).CountAsync());
    }

    [Fact]
    public async Task A_write_after_the_row_changed_underneath_raises_InconsistentStateException_and_the_grain_reads_again()
    {
        var grain = Tally(out var key);
        await grain.AddAsync(1);
        await ExecuteAsync("UPDATE orleans_grain_state SET version = version + 1 WHERE state_name = 'tally' AND key_text = @key", ("key", key));

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.AddAsync(10));

        // Orleans drops the activation that lost; the next one reads the stored row, not its lost update.
        await grain.AddAsync(1);
        Assert.Equal(2, await grain.CountAsync());
    }

    [Fact]
    public async Task Of_two_activations_of_one_grain_on_two_silos_the_one_holding_older_state_loses_its_write()
    {
        var key = NewKey();
        var first = silo.Cluster.Client.GetGrain<ITallyGrain>(key);
        await first.AddAsync(1);
        await using var other = await silo.StartClusterAsync();
        var second = other.Client.GetGrain<ITallyGrain>(key);
        Assert.Equal(1, await second.CountAsync());

        await first.AddAsync(1);

        await Assert.ThrowsAsync<InconsistentStateException>(() => second.AddAsync(100));
        await silo.Cluster.DeactivateAsync(first);
        Assert.Equal(2, await first.CountAsync());
    }

    [Fact]
    public async Task A_first_write_over_a_row_the_grain_never_read_is_refused_and_the_row_kept()
    {
        var grain = Tally(out var key);
        Assert.Equal(0, await grain.CountAsync());
        await ExecuteAsync(
            "INSERT INTO orleans_grain_state (service_id, state_name, key_n0, key_n1, key_text, payload, version) "
            + "VALUES (@service, 'tally', 0, 0, @key, @payload, 1)",
            ("service", SiloStorageFixture.ServiceId), ("key", key), ("payload", Encoding.UTF8.GetBytes("""{"count":40}""")));

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.AddAsync(1));

        Assert.Equal(40, await grain.CountAsync());
    }

    [Fact]
    public async Task A_cleared_state_reads_as_default_and_can_be_written_again()
    {
        var grain = Tally(out var key);
        await grain.AddAsync(5);

        await grain.ClearAsync();
        var afterClear = await grain.CountAsync();
        await silo.Cluster.DeactivateAsync(grain);
        var nextActivation = await grain.CountAsync();
        await grain.AddAsync(1);
        await silo.Cluster.DeactivateAsync(grain);

        Assert.Equal(0, afterClear);
        Assert.Equal(0, nextActivation);
        Assert.Equal(1, await grain.CountAsync());
        Assert.Equal(3L, await ScalarAsync("SELECT version FROM orleans_grain_state WHERE state_name = 'tally' AND key_text = @key", ("key", key)));
    }

    [Fact]
    public async Task A_state_class_renamed_and_moved_to_another_namespace_reads_the_state_stored_under_its_old_name()
    {
        var storage = silo.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(SiloStorageExtensions.GrainStorageName);
        var grainId = GrainId.Create("agent", NewKey());
        var stored = new Before.AgentPresence { Status = "Ready", Since = new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.Zero), Campaigns = [3, 5] };
        await storage.WriteStateAsync("presence", grainId, new GrainState<Before.AgentPresence>(stored));

        var read = new GrainState<After.PresenceOfAgent>();
        await storage.ReadStateAsync("presence", grainId, read);

        Assert.True(read.RecordExists);
        var state = Assert.IsType<After.PresenceOfAgent>(read.State);
        Assert.Equal(stored.Status, state.Status);
        Assert.Equal(stored.Since, state.Since);
        Assert.Equal(stored.Campaigns, state.Campaigns);
    }

    [Fact]
    public async Task A_registered_reminder_is_stored_and_listed()
    {
        var grain = Tally(out var key);
        var reminder = "pace-" + key;

        await grain.RemindAsync(reminder, TimeSpan.FromMinutes(5));

        Assert.Equal([reminder], await grain.RemindersAsync());
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orleans_reminder WHERE reminder_name = @name", ("name", reminder)));
    }

    [Fact]
    public async Task A_reminder_survives_a_restart_and_wakes_its_grain_on_the_new_cluster()
    {
        var key = NewKey();
        var reminder = "wake-" + key;
        await using (var before = await silo.StartClusterAsync())
        {
            await before.Client.GetGrain<ITallyGrain>(key).RemindAsync(reminder, TimeSpan.FromSeconds(1));
            await before.StopAllSilosAsync();
        }

        await using var after = await silo.StartClusterAsync();
        var log = after.GetSiloServiceProvider().GetRequiredService<ReminderLog>();

        // No call activates the grain here: only the reminder, read back from the table, can.
        var deadline = DateTime.UtcNow + ReminderDeadline;
        while (log.Ticks(key, reminder) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(log.Ticks(key, reminder) > 0, $"the reminder did not tick within {ReminderDeadline.TotalSeconds} s of the restart");
        Assert.Equal([reminder], await after.Client.GetGrain<ITallyGrain>(key).RemindersAsync());
    }

    [Fact]
    public async Task The_reminder_table_versions_each_row_removes_only_at_the_current_version_and_reads_ring_ranges()
    {
        var reminders = silo.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("tally", NewKey());
        var hash = grain.GetUniformHashCode();
        var entry = new ReminderEntry
        {
            GrainId = grain,
            ReminderName = "ring",
            StartAt = new DateTime(2026, 12, 6, 9, 30, 0, 123, DateTimeKind.Utc),
            Period = TimeSpan.FromMinutes(5),
        };

        var first = await reminders.UpsertRow(entry);
        var second = await reminders.UpsertRow(entry);
        var read = await reminders.ReadRow(grain, "ring");
        // (hash - 1, hash] holds the grain; its complement (hash, hash - 1] is the range that wraps round the ring.
        var inRange = await reminders.ReadRows(unchecked(hash - 1), hash);
        var outOfRange = await reminders.ReadRows(hash, unchecked(hash - 1));
        var removedWithStaleETag = await reminders.RemoveRow(grain, "ring", first!);
        var removedWithCurrentETag = await reminders.RemoveRow(grain, "ring", second!);

        Assert.NotEqual(first, second);
        Assert.NotNull(read);
        Assert.Equal(second, read.ETag);
        Assert.Equal(entry.StartAt, read.StartAt);
        Assert.Equal(entry.Period, read.Period);
        Assert.Contains(inRange.Reminders, r => r.GrainId == grain);
        Assert.DoesNotContain(outOfRange.Reminders, r => r.GrainId == grain);
        Assert.False(removedWithStaleETag);
        Assert.True(removedWithCurrentETag);
        Assert.Null(await reminders.ReadRow(grain, "ring"));
    }

    protected ITallyGrain Tally(out string key)
    {
        key = NewKey();
        return silo.Cluster.Client.GetGrain<ITallyGrain>(key);
    }

    // Orleans's ADO.NET storage files a string key that parses as hexadecimal under the integer-key columns
    // ("00ff" and "ff" would share a row); "tally-" keeps these keys strings.
    private static string NewKey() => "tally-" + Guid.NewGuid().ToString("N")[..12];

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await silo.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await silo.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

public sealed class SqliteGrainStorageConformanceTests(SqliteSiloFixture silo)
    : GrainStorageConformanceTests(silo), IClassFixture<SqliteSiloFixture>;

public sealed class PostgresGrainStorageConformanceTests(PostgresSiloFixture silo)
    : GrainStorageConformanceTests(silo), IClassFixture<PostgresSiloFixture>;
