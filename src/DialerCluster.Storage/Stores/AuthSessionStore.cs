using System.Data.Common;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class AuthSessionStore(SqlDialect dialect) : IAuthSessionStore
{
    public async Task StartAsync(AuthSessionStart session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            "INSERT INTO auth_sessions (id, user_id, kind, created_at, address) VALUES (@id, @user, @kind, @at, @address)");
        SqlDialect.AddText(command, "@id", session.Id);
        SqlDialect.AddLong(command, "@user", session.UserId);
        SqlDialect.AddText(command, "@kind", KindWire(session.Kind));
        dialect.AddInstant(command, "@at", session.CreatedAt);
        SqlDialect.AddText(command, "@address", session.Address);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex)
        {
            throw StoreErrors.Translate(dialect, ex, "sessionId", $"session {session.Id}", $"userId {session.UserId}: no such user.");
        }
    }

    public async Task<AuthSessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "SELECT id, user_id, kind, created_at, refresh_generation, revoked_at FROM auth_sessions WHERE id = @id");
        SqlDialect.AddText(command, "@id", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AuthSessionRecord(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetString(2) == "cookie" ? AuthSessionKind.Cookie : AuthSessionKind.Bearer,
                dialect.GetInstant(reader, 3),
                reader.GetInt64(4),
                dialect.GetInstantOrNull(reader, 5))
            : null;
    }

    public async Task<bool> RotateAsync(string sessionId, long expectedGeneration, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            UPDATE auth_sessions SET refresh_generation = refresh_generation + 1
            WHERE id = @id AND refresh_generation = @expected AND revoked_at IS NULL
            """);
        SqlDialect.AddText(command, "@id", sessionId);
        SqlDialect.AddLong(command, "@expected", expectedGeneration);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RevokeAsync(string sessionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        long userId;
        await using (var revoke = dialect.Command(
            connection, transaction, "UPDATE auth_sessions SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL RETURNING user_id"))
        {
            dialect.AddInstant(revoke, "@at", at);
            SqlDialect.AddText(revoke, "@id", sessionId);
            if (await revoke.ExecuteScalarAsync(cancellationToken) is not { } user || user is DBNull)
            {
                return false;
            }

            userId = Convert.ToInt64(user, System.Globalization.CultureInfo.InvariantCulture);
        }

        await AuthChangeLog.AppendAsync(dialect, connection, transaction, userId, sessionId, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<string>> RevokedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT id FROM auth_sessions WHERE revoked_at >= @since");
        dialect.AddInstant(command, "@since", since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<long> LastChangeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT COALESCE(MAX(id), 0) FROM auth_changes");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<AuthChange>> ChangesAfterAsync(long cursor, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "SELECT id, user_id, session_id, at FROM auth_changes WHERE id > @cursor ORDER BY id LIMIT 10000");
        SqlDialect.AddLong(command, "@cursor", cursor);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<AuthChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new AuthChange(reader.GetInt64(0), reader.GetInt64(1), SqlDialect.GetTextOrNull(reader, 2), dialect.GetInstant(reader, 3)));
        }

        return changes;
    }

    public async Task PruneAsync(DateTimeOffset sessionsBefore, DateTimeOffset changesBefore, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using (var sessions = dialect.Command(connection, null, "DELETE FROM auth_sessions WHERE created_at < @before"))
        {
            dialect.AddInstant(sessions, "@before", sessionsBefore);
            await sessions.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var changes = dialect.Command(connection, null, "DELETE FROM auth_changes WHERE at < @before");
        dialect.AddInstant(changes, "@before", changesBefore);
        await changes.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string KindWire(AuthSessionKind kind) => kind == AuthSessionKind.Cookie ? "cookie" : "bearer";
}
