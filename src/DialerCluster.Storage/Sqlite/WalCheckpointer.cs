using System.Threading.Channels;

namespace DialerCluster.Storage;

/// <summary>
/// Copies the WAL back into the database file on a thread of its own. Left to SQLite, the checkpoint runs inside
/// whichever commit pushes the WAL past 1,000 pages: under a Next case storm that is the group commit's, several
/// times a second, each time writing megabytes and an extra fsync while every agent waits on that commit. A
/// PASSIVE checkpoint runs beside the writer (it never blocks it), so the writer's connection switches
/// auto-checkpointing off and nudges this instead after each commit.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>Commits close together share one checkpoint.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(50);

    private readonly Channel<bool> _nudges = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SqliteConnectionFactory _connections;
    private readonly Task _loop;

    public WalCheckpointer(SqliteConnectionFactory connections)
    {
        _connections = connections;
        _loop = Task.Run(CheckpointLoopAsync);
    }

    /// <summary>Something was committed: checkpoint soon.</summary>
    public void Nudge() => _nudges.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        _nudges.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task CheckpointLoopAsync()
    {
        while (await _nudges.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await Task.Delay(Coalesce).ConfigureAwait(false);
            _nudges.Reader.TryRead(out _);
            try
            {
                await using var connection = await _connections.OpenAsync(CancellationToken.None).ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // A failed checkpoint loses nothing (the frames stay in the WAL); the next nudge tries again.
            }
        }
    }
}
