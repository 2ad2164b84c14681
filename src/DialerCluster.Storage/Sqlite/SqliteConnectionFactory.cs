using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage;

/// <summary>
/// Connections to one SQLite file in WAL mode. Microsoft.Data.Sqlite pools the underlying handles, so a
/// connection per operation is cheap; the per-connection pragmas are set on every open because a pooled
/// handle cannot tell us whether it is new.
/// </summary>
public sealed class SqliteConnectionFactory : IStorageConnectionFactory
{
    /// <summary>
    /// How long a writer waits for another writer inside SQLite's own busy handler. Without it
    /// Microsoft.Data.Sqlite falls back to its own retry loop, which sleeps a thread for 150 ms at a time.
    /// </summary>
    private const int BusyTimeoutMilliseconds = 15_000;

    private readonly string _connectionPragmas;
    private readonly SemaphoreSlim _walGate = new(1, 1);
    private volatile bool _walEnabled;

    public SqliteConnectionFactory(string databasePath, SqliteSyncMode synchronous = SqliteSyncMode.Full)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        Synchronous = synchronous;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var sync = synchronous == SqliteSyncMode.Full ? "FULL" : "NORMAL";
        // wal_autocheckpoint back to SQLite's default: a pooled handle may come from the group commit, which turns it off.
        _connectionPragmas =
            $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = {sync}; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000;";
    }

    public StorageDialect Dialect => StorageDialect.Sqlite;

    public string DatabasePath { get; }

    public SqliteSyncMode Synchronous { get; }

    /// <summary>The file's connection string, without the pragmas <see cref="OpenAsync"/> applies on top.</summary>
    public string ConnectionString { get; }

    public async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_walEnabled)
        {
            await EnableWalAsync(cancellationToken);
        }

        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    async ValueTask<DbConnection> IStorageConnectionFactory.OpenConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken);

    /// <summary>WAL lets readers run beside the single writer; the mode is stored in the file, so once is enough.</summary>
    private async Task EnableWalAsync(CancellationToken cancellationToken)
    {
        await _walGate.WaitAsync(cancellationToken);
        try
        {
            if (_walEnabled)
            {
                return;
            }

            var folder = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}";
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "PRAGMA journal_mode = WAL";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"SQLite file {DatabasePath} could not be switched to WAL mode (journal_mode is '{mode}'); is it on a network file system?");
            }

            _walEnabled = true;
        }
        finally
        {
            _walGate.Release();
        }
    }
}
