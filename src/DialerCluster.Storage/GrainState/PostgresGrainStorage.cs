using DialerCluster.Runtime;
using Npgsql;
using NpgsqlTypes;

namespace DialerCluster.Storage;

/// <summary>
/// <see cref="IGrainStorage"/> on PostgreSQL's grain_state table. Each operation is one statement whose
/// WHERE clause carries the version check, so the check and the write are atomic without an explicit
/// transaction; a statement that matched no row is a conflict.
/// </summary>
public sealed class PostgresGrainStorage : IGrainStorage
{
    private const string Key = "grain_type = $1 AND grain_key = $2 AND state_name = $3";

    private const string ReadSql = $"SELECT data, version FROM grain_state WHERE {Key}";

    // Two first writers race on the primary key: the loser's ON CONFLICT branch finds a live row
    // (data IS NOT NULL), updates nothing and returns no row. A tombstone left by a clear is reused.
    private const string InsertSql =
        """
        INSERT INTO grain_state (grain_type, grain_key, state_name, data, version, updated_at)
        VALUES ($1, $2, $3, $4, 1, now())
        ON CONFLICT (grain_type, grain_key, state_name) DO UPDATE
            SET data = excluded.data, version = grain_state.version + 1, updated_at = excluded.updated_at
            WHERE grain_state.data IS NULL
        RETURNING version
        """;

    private const string UpdateSql =
        $"UPDATE grain_state SET data = $4, version = version + 1, updated_at = now() WHERE {Key} AND version = $5 AND data IS NOT NULL RETURNING version";

    private const string ClearSql =
        $"UPDATE grain_state SET data = NULL, version = version + 1, updated_at = now() WHERE {Key} AND version = $4 AND data IS NOT NULL RETURNING version";

    private const string LiveVersionSql = $"SELECT version FROM grain_state WHERE {Key} AND data IS NOT NULL";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresGrainStorage(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<StoredGrainState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        GrainStateVersion.Validate(stateName, grainId);
        await using var command = Command(ReadSql, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || await reader.IsDBNullAsync(0, cancellationToken))
        {
            return null;
        }

        return new StoredGrainState(reader.GetFieldValue<byte[]>(0), GrainStateVersion.Format(reader.GetInt64(1)));
    }

    public async Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStateVersion.Validate(stateName, grainId);
        long? written;
        if (expectedETag is null)
        {
            await using var insert = Command(InsertSql, stateName, grainId);
            insert.Parameters.Add(Data(data));
            written = (long?)await insert.ExecuteScalarAsync(cancellationToken);
        }
        else
        {
            var expected = GrainStateVersion.ParseExpected(expectedETag, "Write", stateName, grainId);
            await using var update = Command(UpdateSql, stateName, grainId);
            update.Parameters.Add(Data(data));
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
            written = (long?)await update.ExecuteScalarAsync(cancellationToken);
        }

        return written is { } version
            ? GrainStateVersion.Format(version)
            : throw GrainStateVersion.Conflict("Write", stateName, grainId, await LiveETagAsync(stateName, grainId, cancellationToken), expectedETag);
    }

    public async Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStateVersion.Validate(stateName, grainId);
        if (expectedETag is null)
        {
            // Nothing to clear is a success; a live record the caller did not know about is a conflict.
            var live = await LiveETagAsync(stateName, grainId, cancellationToken);
            if (live is not null)
            {
                throw GrainStateVersion.Conflict("Clear", stateName, grainId, live, expectedETag);
            }

            return;
        }

        var expected = GrainStateVersion.ParseExpected(expectedETag, "Clear", stateName, grainId);
        await using var clear = Command(ClearSql, stateName, grainId);
        clear.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
        if (await clear.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw GrainStateVersion.Conflict("Clear", stateName, grainId, await LiveETagAsync(stateName, grainId, cancellationToken), expectedETag);
        }
    }

    private async Task<string?> LiveETagAsync(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        await using var command = Command(LiveVersionSql, stateName, grainId);
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? GrainStateVersion.Format(version) : null;
    }

    private NpgsqlCommand Command(string sql, string stateName, GrainId grainId)
    {
        var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Type });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        return command;
    }

    private static NpgsqlParameter<ReadOnlyMemory<byte>> Data(ReadOnlyMemory<byte> data) =>
        new() { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Bytea };
}
