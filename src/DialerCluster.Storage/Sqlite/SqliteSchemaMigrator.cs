using System.Data;
using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage;

/// <summary>
/// Applies Migrations/Sqlite/*.sql inside one BEGIN IMMEDIATE transaction: it takes SQLite's single write
/// lock up front, so a second process migrating the same file waits (busy timeout) and then finds nothing
/// to do. SQLite's DDL is transactional, so a failed script leaves no half-built schema.
/// </summary>
public sealed class SqliteSchemaMigrator : ISchemaMigrator
{
    private readonly SqliteConnectionFactory _connections;
    private readonly IReadOnlyList<MigrationScript> _scripts = MigrationScript.Load(StorageDialect.Sqlite);

    public SqliteSchemaMigrator(SqliteConnectionFactory connections)
    {
        _connections = connections;
    }

    public StorageDialect Dialect => StorageDialect.Sqlite;

    public async Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);

        // Serializable, not deferred = BEGIN IMMEDIATE: the write lock is taken now, not at the first write,
        // so two migrators never both read "version 0" and then collide. Microsoft.Data.Sqlite has no
        // truly asynchronous BEGIN; the wait for the lock happens in SQLite's busy handler either way.
        await using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        await ExecuteAsync(
            connection,
            transaction,
            """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at INTEGER NOT NULL DEFAULT (CAST(unixepoch('subsec') * 1000 AS INTEGER))
            ) STRICT
            """,
            cancellationToken);

        var recorded = new Dictionary<int, string>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT version, checksum FROM schema_version";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded[reader.GetInt32(0)] = reader.GetString(1);
            }
        }

        var previous = recorded.Count == 0 ? 0 : recorded.Keys.Max();
        var pending = AppliedMigrations.Pending(Dialect, _scripts, recorded);
        foreach (var script in pending)
        {
            try
            {
                await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException(
                    $"SQLite migration {AppliedMigrations.Label(script)} failed: {ex.Message} Nothing was applied.", ex);
            }

            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO schema_version (version, name, checksum) VALUES (@version, @name, @checksum)";
            insert.Parameters.AddWithValue("@version", script.Version);
            insert.Parameters.AddWithValue("@name", script.Name);
            insert.Parameters.AddWithValue("@checksum", script.Checksum);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var current = Math.Max(previous, pending.Count == 0 ? 0 : pending[^1].Version);
        return new SchemaMigrationResult(previous, current, pending.Select(AppliedMigrations.Label).ToList());
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
