using Npgsql;

namespace DialerCluster.Storage;

/// <summary>
/// Applies Migrations/Postgres/*.sql. Everything happens in one transaction holding a transaction-scoped
/// advisory lock, so two nodes starting together serialise: the second waits, then finds nothing to do.
/// PostgreSQL's DDL is transactional, so a failed script leaves no half-built schema.
/// </summary>
public sealed class PostgresSchemaMigrator : ISchemaMigrator
{
    /// <summary>An arbitrary constant shared by every node ("DialerCl" in ASCII); advisory locks are per database.</summary>
    private const long MigrationLockKey = 0x4469616C6572436C;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<MigrationScript> _scripts = MigrationScript.Load(StorageDialect.Postgres);

    public PostgresSchemaMigrator(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public StorageDialect Dialect => StorageDialect.Postgres;

    public async Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(
            connection,
            transaction,
            """
            CREATE TABLE IF NOT EXISTS schema_version (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            cancellationToken);

        var recorded = new Dictionary<int, string>();
        await using (var select = new NpgsqlCommand("SELECT version, checksum FROM schema_version", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
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
            catch (PostgresException ex)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL migration {AppliedMigrations.Label(script)} failed: {ex.MessageText} (SQLSTATE {ex.SqlState}). Nothing was applied.", ex);
            }

            await using var insert = new NpgsqlCommand(
                "INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = script.Version });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Name });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = script.Checksum });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        var current = Math.Max(previous, pending.Count == 0 ? 0 : pending[^1].Version);
        return new SchemaMigrationResult(previous, current, pending.Select(AppliedMigrations.Label).ToList());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
