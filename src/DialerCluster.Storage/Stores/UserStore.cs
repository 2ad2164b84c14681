using System.Data.Common;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class UserStore(SqlDialect dialect) : IUserStore
{
    private const string Columns = "id, user_name, password_hash, role, agent_id, disabled, session_epoch, locked_until, created_at";

    public async Task<UserRecord> CreateAsync(NewUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.UserName);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.NameKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.NameSkeleton);
        ArgumentException.ThrowIfNullOrEmpty(user.PasswordHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Role);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            $"""
            INSERT INTO users (user_name, name_key, name_skeleton, password_hash, role, agent_id, created_at)
            VALUES (@name, @key, @skeleton, @hash, @role, @agent, @at)
            RETURNING {Columns}
            """);
        SqlDialect.AddText(command, "@name", user.UserName);
        SqlDialect.AddText(command, "@key", user.NameKey);
        SqlDialect.AddText(command, "@skeleton", user.NameSkeleton);
        SqlDialect.AddText(command, "@hash", user.PasswordHash);
        SqlDialect.AddText(command, "@role", user.Role);
        SqlDialect.AddLong(command, "@agent", user.AgentId);
        dialect.AddInstant(command, "@at", DateTimeOffset.UtcNow);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return Read(reader);
        }
        catch (DbException ex)
        {
            throw StoreErrors.Translate(dialect, ex, "userName", $"user name '{user.UserName}'", $"agentId {user.AgentId}: no such agent.");
        }
    }

    public Task<UserRecord?> GetAsync(long userId, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM users WHERE id = @id", c => SqlDialect.AddLong(c, "@id", userId), cancellationToken);

    public Task<UserRecord?> FindByNameKeyAsync(string nameKey, CancellationToken cancellationToken) =>
        SingleAsync($"SELECT {Columns} FROM users WHERE name_key = @key", c => SqlDialect.AddText(c, "@key", nameKey), cancellationToken);

    public Task<UserRecord?> FindBySkeletonAsync(string nameSkeleton, CancellationToken cancellationToken) =>
        SingleAsync(
            $"SELECT {Columns} FROM users WHERE name_skeleton = @skeleton ORDER BY id LIMIT 1",
            c => SqlDialect.AddText(c, "@skeleton", nameSkeleton),
            cancellationToken);

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, $"SELECT {Columns} FROM users ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader));
        }

        return users;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT count(*) FROM users");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<UserRecord?> ChangeAsync(long userId, UserChange change, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        UserRecord? changed;
        await using (var update = dialect.Command(
            connection,
            transaction,
            $"""
            UPDATE users SET
                role = COALESCE(@role, role),
                agent_id = CASE WHEN @change_agent = 1 THEN @agent ELSE agent_id END,
                disabled = COALESCE(@disabled, disabled),
                password_hash = COALESCE(@hash, password_hash),
                locked_until = CASE WHEN @unlock = 1 THEN NULL ELSE locked_until END,
                session_epoch = session_epoch + 1
            WHERE id = @id
            RETURNING {Columns}
            """))
        {
            SqlDialect.AddText(update, "@role", change.Role);
            SqlDialect.AddInt(update, "@change_agent", change.ChangeAgent ? 1 : 0);
            SqlDialect.AddLong(update, "@agent", change.AgentId);
            if (change.Disabled is { } disabled)
            {
                dialect.AddBool(update, "@disabled", disabled);
            }
            else
            {
                AddNullBool(update);
            }

            SqlDialect.AddText(update, "@hash", change.PasswordHash);
            SqlDialect.AddInt(update, "@unlock", change.PasswordHash is not null || change.Disabled == false ? 1 : 0);
            SqlDialect.AddLong(update, "@id", userId);
            try
            {
                await using var reader = await update.ExecuteReaderAsync(cancellationToken);
                changed = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
            }
            catch (DbException ex)
            {
                throw StoreErrors.Translate(dialect, ex, "agentId", $"agent {change.AgentId}", $"agentId {change.AgentId}: no such agent.");
            }
        }

        if (changed is null)
        {
            return null;
        }

        await AuthChangeLog.AppendAsync(dialect, connection, transaction, userId, null, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task<bool> DeleteAsync(long userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        await using (var delete = dialect.Command(connection, transaction, "DELETE FROM users WHERE id = @id"))
        {
            SqlDialect.AddLong(delete, "@id", userId);
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await AuthChangeLog.AppendAsync(dialect, connection, transaction, userId, null, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SetLockedUntilAsync(long userId, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "UPDATE users SET locked_until = @until WHERE id = @id");
        dialect.AddInstant(command, "@until", until);
        SqlDialect.AddLong(command, "@id", userId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<UserRecord?> SingleAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, sql);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>A typed null, so COALESCE(@disabled, disabled) keeps the engine's boolean type on PostgreSQL.</summary>
    private void AddNullBool(DbCommand command)
    {
        dialect.AddBool(command, "@disabled", false);
        command.Parameters["@disabled"].Value = DBNull.Value;
    }

    private UserRecord Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        SqlDialect.GetLongOrNull(reader, 4),
        reader.GetBoolean(5),
        reader.GetInt64(6),
        dialect.GetInstantOrNull(reader, 7),
        dialect.GetInstant(reader, 8));
}
