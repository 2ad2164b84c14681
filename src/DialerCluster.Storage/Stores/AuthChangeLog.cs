using System.Data.Common;

namespace DialerCluster.Storage;

/// <summary>
/// Appends to auth_changes inside the caller's transaction. On PostgreSQL the writer first takes a transaction
/// advisory lock, so changes commit in id order and a node following "id > cursor" can never step over one that
/// commits late; SQLite has one writer at a time anyway. Changes are rare (a logout, a disabled user), so the
/// lock costs nothing that matters.
/// </summary>
internal static class AuthChangeLog
{
    /// <summary>An arbitrary constant naming the lock ("auth" in ASCII).</summary>
    private const long LockKey = 0x61757468;

    public static async Task AppendAsync(
        SqlDialect dialect, DbConnection connection, DbTransaction transaction, long userId, string? sessionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (dialect.Kind == StorageDialect.Postgres)
        {
            await using var serialise = dialect.Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)");
            SqlDialect.AddLong(serialise, "@key", LockKey);
            await serialise.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = dialect.Command(
            connection, transaction, "INSERT INTO auth_changes (user_id, session_id, at) VALUES (@user, @session, @at)");
        SqlDialect.AddLong(insert, "@user", userId);
        SqlDialect.AddText(insert, "@session", sessionId);
        dialect.AddInstant(insert, "@at", at);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
