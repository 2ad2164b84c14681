using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using Npgsql;
using NpgsqlTypes;

namespace DialerCluster.Storage;

/// <summary>
/// A batch is ONE <see cref="NpgsqlBatch"/>: one round trip, and without an explicit transaction PostgreSQL
/// runs all its statements in one implicit transaction that is committed (and flushed, synchronous_commit on)
/// before the reply comes back. Each statement carries its own condition; its row count says whether it applied.
/// </summary>
internal sealed class PostgresCaseWriteCommitter(NpgsqlDataSource dataSource) : ICaseWriteCommitter
{
    // The agent-holds-nothing-else test keeps the unique index cases_holder_agent_id from failing the whole
    // batch in the normal case; the index stays the last word when two nodes race (see the fallback).
    private const string HoldSql =
        """
        UPDATE cases SET holder_agent_id = $2, held_at = $3, version = version + 1
        WHERE id = $1 AND holder_agent_id IS NULL AND status NOT IN ('won', 'resigned')
          AND NOT EXISTS (SELECT 1 FROM cases h WHERE h.holder_agent_id = $2)
        """;

    private const string ReleaseSql =
        """
        UPDATE cases SET holder_agent_id = NULL, held_at = NULL, attempts = $3, next_attempt_at = $4, updated_at = $5, version = version + 1
        WHERE id = $1 AND holder_agent_id = $2
        """;

    // The activity is written only if the release applied: a late release must not append history to a
    // case that someone else holds by now.
    private const string ReleaseWithActivitySql =
        """
        WITH released AS (
            UPDATE cases SET holder_agent_id = NULL, held_at = NULL, attempts = $3, next_attempt_at = $4, updated_at = $5, version = version + 1
            WHERE id = $1 AND holder_agent_id = $2
            RETURNING id)
        INSERT INTO case_activities (case_id, kind, at, actor, outcome, details)
        SELECT id, $6, $7, $8, $9, $10 FROM released
        """;

    public async Task CommitAsync(IReadOnlyList<CaseWrite> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        foreach (var write in batch)
        {
            npgsqlBatch.BatchCommands.Add(Command(write));
        }

        try
        {
            await npgsqlBatch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another node's hold won a race past our NOT EXISTS and the unique index refused ours; the
            // implicit transaction rolled the whole batch back. Redo each write on its own (rare path).
            await OneByOneAsync(connection, batch, cancellationToken);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Applied = npgsqlBatch.BatchCommands[i].RecordsAffected == 1;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task OneByOneAsync(NpgsqlConnection connection, IReadOnlyList<CaseWrite> batch, CancellationToken cancellationToken)
    {
        foreach (var write in batch)
        {
            await using var single = new NpgsqlBatch(connection);
            single.BatchCommands.Add(Command(write));
            try
            {
                write.Applied = await single.ExecuteNonQueryAsync(cancellationToken) == 1;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                write.Applied = false;
            }
        }
    }

    private static NpgsqlBatchCommand Command(CaseWrite write)
    {
        if (write.Kind == CaseWriteKind.Hold)
        {
            var hold = new NpgsqlBatchCommand(HoldSql);
            hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.CaseId });
            hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.AgentId });
            hold.Parameters.Add(Instant(write.At));
            return hold;
        }

        var release = write.Release!;
        var activity = release.Activity;
        var command = new NpgsqlBatchCommand(activity is null ? ReleaseSql : ReleaseWithActivitySql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = release.CaseId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = release.AgentId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = release.Attempts });
        command.Parameters.Add(Instant(release.NextAttemptAt));
        command.Parameters.Add(Instant(release.At));
        if (activity is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = activity.Kind.ToWire() });
            command.Parameters.Add(Instant(activity.At));
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)activity.By ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)activity.Outcome?.ToWire() ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = StoredJson.Details(activity) });
        }

        return command;
    }

    private static NpgsqlParameter Instant(DateTimeOffset? at) => new()
    {
        NpgsqlDbType = NpgsqlDbType.TimestampTz,
        Value = at is { } value ? SqlDialect.ToMilliseconds(value).UtcDateTime : DBNull.Value,
    };
}
