using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Stores;
using Npgsql;
using NpgsqlTypes;

namespace DialerCluster.Storage;

/// <summary>
/// A batch is ONE <see cref="NpgsqlBatch"/>: one round trip, and without an explicit transaction PostgreSQL
/// runs all its statements in one implicit transaction, committed (and flushed, synchronous_commit on) before
/// the reply comes back. The writes are set-based: per round, one UPDATE ... FROM unnest(...) for the
/// releases and one for the holds, each row keeping its own condition and RETURNING its position, so the
/// single backend spends microseconds per write instead of a statement each (measured: the per-statement
/// form topped out near 3,500 holds/s on the shared 2-core machine). A hold returns the case row as changed
/// and its contact, so Next case answers without reading either again.
/// </summary>
/// <remarks>
/// Fencing (CampaignEpoch): every write joins its case's campaign row locked FOR SHARE and applies only while the
/// campaign's epoch is the write's. The lock makes the check hold until commit: a claim of a new epoch waits for the
/// writes already checking the old one, and a write that starts after the claim committed reads the new epoch (READ
/// COMMITTED re-reads a row it had to wait for), so no stale activation's hold or release lands after the claim.
/// </remarks>
internal sealed class PostgresCaseWriteCommitter(NpgsqlDataSource dataSource, SqlDialect dialect) : ICaseWriteCommitter
{
    // The agent-holds-nothing-else test keeps the unique index cases_holder_agent_id from failing the whole
    // batch in the normal case; the index stays the last word when two nodes race (see the fallback).
    private static readonly string HoldsSql =
        $"""
        WITH {FenceOf("$2::bigint[]")}
        UPDATE cases k SET holder_agent_id = h.agent, held_at = h.at, version = k.version + 1
        FROM unnest($1::integer[], $2::bigint[], $3::bigint[], $4::timestamptz[], $5::bigint[]) AS h(idx, case_id, agent, at, epoch), contacts c, fence f
        WHERE k.id = h.case_id AND c.id = k.contact_id AND k.holder_agent_id IS NULL AND k.status NOT IN ('won', 'resigned')
          AND f.id = k.campaign_id AND f.epoch = h.epoch
          AND NOT EXISTS (SELECT 1 FROM cases x WHERE x.holder_agent_id = h.agent)
        RETURNING h.idx, {StoredRows.Qualified(StoredRows.CaseColumns, "k")}, {StoredRows.Qualified(StoredRows.ContactColumns, "c")}
        """;

    // An activity is written only for a release that applied: a late release must not append history to a
    // case someone else holds by now.
    private static readonly string ReleasesSql =
        $"""
        WITH {FenceOf("$2::bigint[]")},
        released AS (
            UPDATE cases k SET holder_agent_id = NULL, held_at = NULL, attempts = r.attempts, next_attempt_at = r.next_at,
                updated_at = r.at, version = k.version + 1
            FROM unnest($1::integer[], $2::bigint[], $3::bigint[], $4::integer[], $5::timestamptz[], $6::timestamptz[], $13::bigint[])
                AS r(idx, case_id, agent, attempts, next_at, at, epoch), fence f
            WHERE k.id = r.case_id AND k.holder_agent_id = r.agent AND f.id = k.campaign_id AND f.epoch = r.epoch
            RETURNING r.idx, k.id AS case_id),
        activities AS (
            INSERT INTO case_activities (case_id, kind, at, actor, outcome, details)
            SELECT released.case_id, a.kind, a.at, a.actor, a.outcome, a.details
            FROM released
            JOIN unnest($7::integer[], $8::text[], $9::timestamptz[], $10::text[], $11::text[], $12::jsonb[])
                AS a(idx, kind, at, actor, outcome, details) ON a.idx = released.idx)
        SELECT idx FROM released
        """;

    private static readonly string HoldSql =
        $"""
        WITH {FenceOf("ARRAY[$1::bigint]")}
        UPDATE cases k SET holder_agent_id = $2, held_at = $3, version = k.version + 1
        FROM contacts c, fence f
        WHERE k.id = $1 AND c.id = k.contact_id AND k.holder_agent_id IS NULL AND k.status NOT IN ('won', 'resigned')
          AND f.id = k.campaign_id AND f.epoch = $4
          AND NOT EXISTS (SELECT 1 FROM cases h WHERE h.holder_agent_id = $2)
        RETURNING 0, {StoredRows.Qualified(StoredRows.CaseColumns, "k")}, {StoredRows.Qualified(StoredRows.ContactColumns, "c")}
        """;

    private static readonly string ReleaseSql =
        $"""
        WITH {FenceOf("ARRAY[$1::bigint]")},
        released AS (
            UPDATE cases k SET holder_agent_id = NULL, held_at = NULL, attempts = $3, next_attempt_at = $4, updated_at = $5, version = k.version + 1
            FROM fence f
            WHERE k.id = $1 AND k.holder_agent_id = $2 AND f.id = k.campaign_id AND f.epoch = $11
            RETURNING k.id),
        activity AS (
            INSERT INTO case_activities (case_id, kind, at, actor, outcome, details)
            SELECT id, $6, $7, $8, $9, $10 FROM released WHERE $6 IS NOT NULL)
        SELECT count(*) FROM released
        """;

    /// <summary>The campaigns of the given cases with their epochs, share-locked until commit.</summary>
    private static string FenceOf(string caseIds) =>
        $"fence AS (SELECT g.id, g.epoch FROM campaigns g WHERE g.id IN (SELECT campaign_id FROM cases WHERE id = ANY({caseIds})) FOR SHARE OF g)";

    public async Task CommitAsync(IReadOnlyList<CaseWrite> batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rounds = Rounds(batch);
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        foreach (var round in rounds)
        {
            if (round.Releases.Count > 0)
            {
                npgsqlBatch.BatchCommands.Add(ReleasesCommand(round.Releases));
            }

            if (round.Holds.Count > 0)
            {
                npgsqlBatch.BatchCommands.Add(HoldsCommand(round.Holds));
            }
        }

        try
        {
            // Applied flags are set while reading, but the queue publishes them only after this method returns,
            // which is after the reader has seen ReadyForQuery, i.e. after the commit.
            await using var reader = await npgsqlBatch.ExecuteReaderAsync(cancellationToken);
            foreach (var round in rounds)
            {
                if (round.Releases.Count > 0)
                {
                    await MarkAppliedAsync(reader, round.Releases, null, cancellationToken);
                    await reader.NextResultAsync(cancellationToken);
                }

                if (round.Holds.Count > 0)
                {
                    await MarkAppliedAsync(reader, round.Holds, dialect, cancellationToken);
                    await reader.NextResultAsync(cancellationToken);
                }
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another node's hold won a race past our NOT EXISTS and the unique index refused ours; the
            // implicit transaction rolled the whole batch back. Redo each write on its own, in queue order (rare path).
            foreach (var write in batch)
            {
                write.Applied = false;
            }

            await OneByOneAsync(connection, batch, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Splits the queue into rounds of releases-then-holds. Writes in one batch were all issued before any of
    /// them was answered, so any order is a valid one, except that this store keeps queue order wherever two
    /// writes touch the same case or agent: such a write starts a new round. In the usual stream (agent A
    /// completes one case and asks for the next, agent B likewise...) the whole batch is one round.
    /// </summary>
    private static List<Round> Rounds(IReadOnlyList<CaseWrite> batch)
    {
        var rounds = new List<Round>();
        var round = new Round();
        rounds.Add(round);
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            var (caseId, agentId) = (write.CaseId, write.AgentId);
            var clash = write.Kind == CaseWriteKind.Hold
                ? round.HoldCases.Contains(caseId) || round.HoldAgents.Contains(agentId)
                : round.HoldCases.Contains(caseId) || round.HoldAgents.Contains(agentId) || round.ReleaseCases.Contains(caseId);
            if (clash)
            {
                round = new Round();
                rounds.Add(round);
            }

            if (write.Kind == CaseWriteKind.Hold)
            {
                round.Holds.Add((i, write));
                round.HoldCases.Add(caseId);
                round.HoldAgents.Add(agentId);
            }
            else
            {
                round.Releases.Add((i, write));
                round.ReleaseCases.Add(caseId);
            }
        }

        return rounds;
    }

    /// <summary>Holds (with <paramref name="held"/>) also read the case and contact each changed row returned.</summary>
    private static async Task MarkAppliedAsync(
        NpgsqlDataReader reader, List<(int Index, CaseWrite Write)> writes, SqlDialect? held, CancellationToken cancellationToken)
    {
        // RETURNING gives the batch positions of the rows that changed; the round's writes are in position order.
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = reader.GetInt32(0);
            var write = writes[writes.BinarySearch((index, null!), PositionOrder.Instance)].Write;
            write.Applied = true;
            if (held is not null)
            {
                write.Held = HeldOf(reader, held);
            }
        }
    }

    private static CaseHold HeldOf(NpgsqlDataReader reader, SqlDialect dialect) =>
        new(StoredRows.Case(reader, dialect, 1), StoredRows.Contact(reader, 1 + StoredRows.CaseColumnCount));

    private static NpgsqlBatchCommand HoldsCommand(List<(int Index, CaseWrite Write)> holds)
    {
        var count = holds.Count;
        var (idx, cases, agents, at) = (new int[count], new long[count], new long[count], new DateTime[count]);
        var epochs = new long[count];
        for (var i = 0; i < count; i++)
        {
            var (index, write) = holds[i];
            (idx[i], cases[i], agents[i], at[i], epochs[i]) = (index, write.CaseId, write.AgentId, Utc(write.At), write.Epoch.Value);
        }

        var command = new NpgsqlBatchCommand(HoldsSql);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = idx });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = cases });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = agents });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = epochs });
        return command;
    }

    private static NpgsqlBatchCommand ReleasesCommand(List<(int Index, CaseWrite Write)> releases)
    {
        var count = releases.Count;
        var (idx, cases, agents, attempts) = (new int[count], new long[count], new long[count], new int[count]);
        var (next, at, epochs) = (new DateTime?[count], new DateTime[count], new long[count]);
        var activities = releases.Count(r => r.Write.Release!.Activity is not null);
        var (activityIdx, kinds, activityAt) = (new int[activities], new string[activities], new DateTime[activities]);
        var (actors, outcomes, details) = (new string?[activities], new string?[activities], new string[activities]);
        var a = 0;
        for (var i = 0; i < count; i++)
        {
            var (index, write) = releases[i];
            var release = write.Release!;
            (idx[i], cases[i], agents[i], attempts[i]) = (index, release.CaseId, release.AgentId, release.Attempts);
            (next[i], at[i], epochs[i]) = (release.NextAttemptAt is { } n ? Utc(n) : null, Utc(release.At), release.Epoch.Value);
            if (release.Activity is { } activity)
            {
                (activityIdx[a], kinds[a], activityAt[a]) = (index, activity.Kind.ToWire(), Utc(activity.At));
                (actors[a], outcomes[a], details[a]) = (activity.By, activity.Outcome?.ToWire(), StoredJson.Details(activity));
                a++;
            }
        }

        var command = new NpgsqlBatchCommand(ReleasesSql);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = idx });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = cases });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = agents });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = attempts });
        command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = next, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = activityIdx });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = kinds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = activityAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = actors, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = outcomes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = details, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = epochs });
        return command;
    }

    private async Task OneByOneAsync(NpgsqlConnection connection, IReadOnlyList<CaseWrite> batch, CancellationToken cancellationToken)
    {
        foreach (var write in batch)
        {
            await using var single = new NpgsqlBatch(connection);
            single.BatchCommands.Add(SingleCommand(write));
            try
            {
                if (write.Kind == CaseWriteKind.Hold)
                {
                    await using var reader = await single.ExecuteReaderAsync(cancellationToken);
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        write.Held = HeldOf(reader, dialect);
                        write.Applied = true;
                    }
                }
                else
                {
                    write.Applied = await single.ExecuteScalarAsync(cancellationToken) is long released && released == 1;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                write.Applied = false;
            }
        }
    }

    private static NpgsqlBatchCommand SingleCommand(CaseWrite write)
    {
        if (write.Kind == CaseWriteKind.Hold)
        {
            var hold = new NpgsqlBatchCommand(HoldSql);
            hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.CaseId });
            hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.AgentId });
            hold.Parameters.Add(Instant(write.At));
            hold.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.Epoch.Value });
            return hold;
        }

        var release = write.Release!;
        var activity = release.Activity;
        var command = new NpgsqlBatchCommand(ReleaseSql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = release.CaseId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = release.AgentId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = release.Attempts });
        command.Parameters.Add(Instant(release.NextAttemptAt));
        command.Parameters.Add(Instant(release.At));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)activity?.Kind.ToWire() ?? DBNull.Value });
        command.Parameters.Add(Instant(activity?.At));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)activity?.By ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)activity?.Outcome?.ToWire() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = activity is null ? DBNull.Value : StoredJson.Details(activity) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = release.Epoch.Value });
        return command;
    }

    private static DateTime Utc(DateTimeOffset value) => SqlDialect.ToMilliseconds(value).UtcDateTime;

    private static NpgsqlParameter Instant(DateTimeOffset? at) => new()
    {
        NpgsqlDbType = NpgsqlDbType.TimestampTz,
        Value = at is { } value ? Utc(value) : DBNull.Value,
    };

    private sealed class Round
    {
        public List<(int Index, CaseWrite Write)> Holds { get; } = [];

        public List<(int Index, CaseWrite Write)> Releases { get; } = [];

        public HashSet<long> HoldCases { get; } = [];

        public HashSet<long> HoldAgents { get; } = [];

        public HashSet<long> ReleaseCases { get; } = [];
    }

    private sealed class PositionOrder : IComparer<(int Index, CaseWrite Write)>
    {
        public static readonly PositionOrder Instance = new();

        public int Compare((int Index, CaseWrite Write) x, (int Index, CaseWrite Write) y) => x.Index.CompareTo(y.Index);
    }
}
