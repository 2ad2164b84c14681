using System.Data;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Stores;
using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage;

/// <summary>
/// SQLite has one writer at a time anyway, so the batch loop keeps ONE connection with its statements
/// prepared, and runs each batch as one BEGIN IMMEDIATE ... COMMIT: one WAL fsync for the whole batch.
/// A hold returns the case row it changed and reads its contact in the same transaction, so Next case
/// answers without reading either again (preparing a statement costs more than running it). The WAL is
/// checkpointed by <see cref="WalCheckpointer"/>, off this loop.
/// </summary>
internal sealed class SqliteCaseWriteCommitter(SqliteConnectionFactory connections, SqlDialect dialect) : ICaseWriteCommitter
{
    private const int ConstraintUnique = 2067;

    private readonly WalCheckpointer _checkpoints = new(connections);
    private Statements? _statements;

    public async Task CommitAsync(IReadOnlyList<CaseWrite> batch, CancellationToken cancellationToken)
    {
        var statements = _statements ??= await Statements.OpenAsync(connections, dialect, cancellationToken);
        try
        {
            using var transaction = statements.Connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            statements.Enlist(transaction);
            foreach (var write in batch)
            {
                write.Applied = write.Kind == CaseWriteKind.Hold ? statements.Hold(write) : statements.Release(write);
            }

            transaction.Commit();
            _checkpoints.Nudge();
        }
        catch
        {
            // The connection may be broken (disk full, file replaced): start the next batch on a fresh one.
            _statements = null;
            await statements.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_statements is { } statements)
        {
            _statements = null;
            await statements.DisposeAsync();
        }

        await _checkpoints.DisposeAsync();
    }

    private sealed class Statements : IAsyncDisposable
    {
        // The write applies only while its epoch is the case's campaign's (CampaignEpoch). SQLite runs one writer at a
        // time, so the epoch read here cannot change before this transaction commits.
        private const string Fenced = "(SELECT g.epoch FROM campaigns g WHERE g.id = cases.campaign_id) = @epoch";

        private readonly SqlDialect _dialect;
        private readonly SqliteCommand _hold;
        private readonly SqliteCommand _contact;
        private readonly SqliteCommand _release;
        private readonly SqliteCommand _activity;

        private Statements(SqliteConnection connection, SqlDialect dialect)
        {
            Connection = connection;
            _dialect = dialect;
            _hold = Prepare(
                $"""
                UPDATE cases SET holder_agent_id = @agent, held_at = @at, version = version + 1
                WHERE id = @case AND holder_agent_id IS NULL AND status NOT IN ('won', 'resigned')
                  AND NOT EXISTS (SELECT 1 FROM cases h WHERE h.holder_agent_id = @agent)
                  AND {Fenced}
                RETURNING {StoredRows.CaseColumns}
                """,
                "@case",
                "@agent",
                "@at",
                "@epoch");
            _contact = Prepare($"SELECT {StoredRows.ContactColumns} FROM contacts WHERE id = @id", "@id");
            _release = Prepare(
                $"""
                UPDATE cases SET holder_agent_id = NULL, held_at = NULL, attempts = @attempts, next_attempt_at = @next,
                    updated_at = @at, version = version + 1
                WHERE id = @case AND holder_agent_id = @agent AND {Fenced}
                """,
                "@case",
                "@agent",
                "@attempts",
                "@next",
                "@at",
                "@epoch");
            _activity = Prepare(
                "INSERT INTO case_activities (case_id, kind, at, actor, outcome, details) VALUES (@case, @kind, @at, @actor, @outcome, @details)",
                "@case",
                "@kind",
                "@at",
                "@actor",
                "@outcome",
                "@details");
        }

        public SqliteConnection Connection { get; }

        public static async Task<Statements> OpenAsync(SqliteConnectionFactory connections, SqlDialect dialect, CancellationToken cancellationToken)
        {
            var connection = await connections.OpenAsync(cancellationToken);
            await using (var noAutoCheckpoint = connection.CreateCommand())
            {
                noAutoCheckpoint.CommandText = "PRAGMA wal_autocheckpoint = 0";
                await noAutoCheckpoint.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Statements(connection, dialect);
        }

        public void Enlist(SqliteTransaction transaction)
        {
            _hold.Transaction = transaction;
            _contact.Transaction = transaction;
            _release.Transaction = transaction;
            _activity.Transaction = transaction;
        }

        public bool Hold(CaseWrite write)
        {
            _hold.Parameters[0].Value = write.CaseId;
            _hold.Parameters[1].Value = write.AgentId;
            _hold.Parameters[2].Value = write.At.ToUnixTimeMilliseconds();
            _hold.Parameters[3].Value = write.Epoch.Value;
            CaseRecord held;
            try
            {
                using var changed = _hold.ExecuteReader();
                if (!changed.Read())
                {
                    return false;
                }

                held = StoredRows.Case(changed, _dialect);
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == ConstraintUnique)
            {
                // Another process holding the file raced us to the agent's one hold; only this statement is undone.
                return false;
            }

            _contact.Parameters[0].Value = held.ContactId;
            using var contact = _contact.ExecuteReader();
            write.Held = contact.Read()
                ? new CaseHold(held, StoredRows.Contact(contact))
                : throw new InvalidOperationException($"Case {held.Id} names contact {held.ContactId}, which is not stored.");
            return true;
        }

        public bool Release(CaseWrite write)
        {
            var release = write.Release!;
            _release.Parameters[0].Value = release.CaseId;
            _release.Parameters[1].Value = release.AgentId;
            _release.Parameters[2].Value = release.Attempts;
            _release.Parameters[3].Value = release.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value;
            _release.Parameters[4].Value = release.At.ToUnixTimeMilliseconds();
            _release.Parameters[5].Value = release.Epoch.Value;
            if (_release.ExecuteNonQuery() != 1)
            {
                return false;
            }

            if (release.Activity is { } activity)
            {
                _activity.Parameters[0].Value = release.CaseId;
                _activity.Parameters[1].Value = activity.Kind.ToWire();
                _activity.Parameters[2].Value = activity.At.ToUnixTimeMilliseconds();
                _activity.Parameters[3].Value = (object?)activity.By ?? DBNull.Value;
                _activity.Parameters[4].Value = (object?)activity.Outcome?.ToWire() ?? DBNull.Value;
                _activity.Parameters[5].Value = StoredJson.Details(activity);
                _activity.ExecuteNonQuery();
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _hold.DisposeAsync();
            await _contact.DisposeAsync();
            await _release.DisposeAsync();
            await _activity.DisposeAsync();
            await Connection.DisposeAsync();
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
            }

            return command;
        }
    }
}
