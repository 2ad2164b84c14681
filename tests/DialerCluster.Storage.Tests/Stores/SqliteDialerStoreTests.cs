using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage.Tests;

/// <summary>The store suite on SQLite, and what only SQLite has.</summary>
public sealed class SqliteDialerStoreTests : DialerStoreTests
{
    [Fact]
    public async Task A_committed_hold_is_checkpointed_into_the_database_file_by_the_background_checkpointer()
    {
        var campaign = await NewCampaignAsync();
        var ada = await NewAgentAsync();
        var ids = await NewCasesAsync(campaign, 1);

        Assert.NotNull(await Cases.TryHoldAsync(ids[0], ada, T0, Unclaimed, CancellationToken.None));

        // The main file alone, without its WAL: the hold is there only once a checkpoint has copied it back. A few
        // pages of writes are far below SQLite's own 1,000-page auto-checkpoint, so only the background one can.
        var holder = await HolderInDatabaseFileAsync(((SqliteStoreEngine)Engine).DatabasePath, ids[0], ada);
        Assert.Equal(ada, holder);
    }

    [Fact]
    public async Task The_abandon_counts_of_a_campaign_are_read_from_an_index_alone()
    {
        // The metrics sampler runs this count per campaign every few seconds on every node, over 30 days of calls.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ((SqliteStoreEngine)Engine).DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            EXPLAIN QUERY PLAN
            SELECT SUM(CASE WHEN answered_at IS NOT NULL OR abandoned = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN abandoned = 1 THEN 1 ELSE 0 END)
            FROM calls WHERE campaign_id = 1 AND started_at >= 0
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.Contains("USING COVERING INDEX calls_campaign_started_answered", StringComparison.Ordinal));
    }

    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();

    private static async Task<long?> HolderInDatabaseFileAsync(string databasePath, long caseId, long expected)
    {
        var copy = databasePath + ".copy";
        long? holder = null;
        for (var attempt = 0; attempt < 100 && holder != expected; attempt++)
        {
            await Task.Delay(100);
            File.Copy(databasePath, copy, overwrite: true);
            try
            {
                await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT holder_agent_id FROM cases WHERE id = {caseId}";
                holder = await command.ExecuteScalarAsync() is long value ? value : null;
            }
            catch (SqliteException)
            {
                // A copy taken mid-checkpoint can be torn: take another.
            }
        }

        return holder;
    }
}
