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
