using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace DialerCluster.LoadTests.Reports;

internal enum ColumnType
{
    Long,
    Int,
    Text,
    Instant,
    Date,
    Bool,
    Json,
}

/// <summary>A table's rows written in bulk: one prepared INSERT per row in one transaction (SQLite), binary COPY (PostgreSQL).</summary>
internal abstract class HistoryWriter : IAsyncDisposable
{
    public abstract Task WriteAsync(string table, IReadOnlyList<(string Name, ColumnType Type)> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Whatever the engine needs before it answers reports well (statistics).</summary>
    public abstract Task FinishAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

internal sealed class SqliteHistoryWriter(string path) : HistoryWriter
{
    private readonly SqliteConnection _connection = new(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());

    public override async Task WriteAsync(string table, IReadOnlyList<(string Name, ColumnType Type)> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            await _connection.OpenAsync(cancellationToken);

            // Seeding only: the benchmark's database is thrown away, so the journal need not survive a crash.
            await using var pragma = _connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        await using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add("$p" + i, SqliteType.Text)).ToArray();
        insert.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = Value(columns[i].Type, row[i]);
            }

            insert.ExecuteNonQuery();
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public override async Task FinishAsync(CancellationToken cancellationToken)
    {
        await using var checkpoint = _connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private static object Value(ColumnType type, object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset instant => instant.ToUnixTimeMilliseconds(),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool flag => flag ? 1 : 0,
        _ when type is ColumnType.Long or ColumnType.Int => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => value,
    };
}

internal sealed class PostgresHistoryWriter(NpgsqlDataSource dataSource) : HistoryWriter
{
    public override async Task WriteAsync(string table, IReadOnlyList<(string Name, ColumnType Type)> columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var import = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);

        // Completing a copy of millions of rows waits for the server to update every index: far past the importer's
        // default wait on a busy machine.
        import.Timeout = TimeSpan.FromMinutes(30);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (row[i] is null)
                {
                    await import.WriteNullAsync(cancellationToken);
                    continue;
                }

                switch (columns[i].Type)
                {
                    case ColumnType.Long: await import.WriteAsync(Convert.ToInt64(row[i], CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, cancellationToken); break;
                    case ColumnType.Int: await import.WriteAsync(Convert.ToInt32(row[i], CultureInfo.InvariantCulture), NpgsqlDbType.Integer, cancellationToken); break;
                    case ColumnType.Instant: await import.WriteAsync(((DateTimeOffset)row[i]!).UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken); break;
                    case ColumnType.Date: await import.WriteAsync((DateOnly)row[i]!, NpgsqlDbType.Date, cancellationToken); break;
                    case ColumnType.Bool: await import.WriteAsync((bool)row[i]!, NpgsqlDbType.Boolean, cancellationToken); break;
                    case ColumnType.Json: await import.WriteAsync((string)row[i]!, NpgsqlDbType.Jsonb, cancellationToken); break;
                    default: await import.WriteAsync((string)row[i]!, NpgsqlDbType.Text, cancellationToken); break;
                }
            }
        }

        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>Statistics now, as autovacuum would after a bulk load (a fresh table has none, and plans would be guesses).</summary>
    public override async Task FinishAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
