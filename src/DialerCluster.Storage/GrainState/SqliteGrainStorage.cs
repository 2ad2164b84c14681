using System.Runtime.InteropServices;
using DialerCluster.Runtime;
using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage;

/// <summary>
/// <see cref="IGrainStorage"/> on SQLite's grain_state table. Each operation is one autocommit statement
/// whose WHERE clause carries the version check; SQLite runs one writer at a time, so check and write are
/// atomic. A statement that matched no row is a conflict.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private const string Key = "grain_type = @type AND grain_key = @key AND state_name = @state";
    private const string Now = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

    private const string ReadSql = $"SELECT data, version FROM grain_state WHERE {Key}";

    // The loser of two first writers hits the primary key, finds a live row (data IS NOT NULL), updates
    // nothing and returns no row. A tombstone left by a clear is reused with a higher version.
    private const string InsertSql =
        $"""
        INSERT INTO grain_state (grain_type, grain_key, state_name, data, version, updated_at)
        VALUES (@type, @key, @state, @data, 1, {Now})
        ON CONFLICT (grain_type, grain_key, state_name) DO UPDATE
            SET data = excluded.data, version = grain_state.version + 1, updated_at = excluded.updated_at
            WHERE grain_state.data IS NULL
        RETURNING version
        """;

    private const string UpdateSql =
        $"UPDATE grain_state SET data = @data, version = version + 1, updated_at = {Now} WHERE {Key} AND version = @expected AND data IS NOT NULL RETURNING version";

    private const string ClearSql =
        $"UPDATE grain_state SET data = NULL, version = version + 1, updated_at = {Now} WHERE {Key} AND version = @expected AND data IS NOT NULL RETURNING version";

    private const string LiveVersionSql = $"SELECT version FROM grain_state WHERE {Key} AND data IS NOT NULL";

    private readonly SqliteConnectionFactory _connections;

    public SqliteGrainStorage(SqliteConnectionFactory connections)
    {
        _connections = connections;
    }

    public async Task<StoredGrainState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        GrainStateVersion.Validate(stateName, grainId);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var command = Command(connection, ReadSql, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
        {
            return null;
        }

        return new StoredGrainState(reader.GetFieldValue<byte[]>(0), GrainStateVersion.Format(reader.GetInt64(1)));
    }

    public async Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStateVersion.Validate(stateName, grainId);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        await using var command = Command(connection, expectedETag is null ? InsertSql : UpdateSql, stateName, grainId);
        command.Parameters.Add(new SqliteParameter("@data", SqliteType.Blob) { Value = AsArray(data) });
        if (expectedETag is not null)
        {
            command.Parameters.AddWithValue("@expected", GrainStateVersion.ParseExpected(expectedETag, "Write", stateName, grainId));
        }

        return await command.ExecuteScalarAsync(cancellationToken) is long version
            ? GrainStateVersion.Format(version)
            : throw GrainStateVersion.Conflict("Write", stateName, grainId, await LiveETagAsync(connection, stateName, grainId, cancellationToken), expectedETag);
    }

    public async Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        GrainStateVersion.Validate(stateName, grainId);
        await using var connection = await _connections.OpenAsync(cancellationToken);
        if (expectedETag is null)
        {
            // Nothing to clear is a success; a live record the caller did not know about is a conflict.
            var live = await LiveETagAsync(connection, stateName, grainId, cancellationToken);
            if (live is not null)
            {
                throw GrainStateVersion.Conflict("Clear", stateName, grainId, live, expectedETag);
            }

            return;
        }

        var expected = GrainStateVersion.ParseExpected(expectedETag, "Clear", stateName, grainId);
        await using var command = Command(connection, ClearSql, stateName, grainId);
        command.Parameters.AddWithValue("@expected", expected);
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw GrainStateVersion.Conflict("Clear", stateName, grainId, await LiveETagAsync(connection, stateName, grainId, cancellationToken), expectedETag);
        }
    }

    private static async Task<string?> LiveETagAsync(SqliteConnection connection, string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, LiveVersionSql, stateName, grainId);
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? GrainStateVersion.Format(version) : null;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@type", grainId.Type);
        command.Parameters.AddWithValue("@key", grainId.Key);
        command.Parameters.AddWithValue("@state", stateName);
        return command;
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();
}
