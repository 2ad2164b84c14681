using System.Data.Common;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class UserStore(SqlDialect dialect) : IUserStore
{
    public async Task<UserRecord> CreateAsync(string userName, string passwordHash, string role, long? agentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            INSERT INTO users (user_name, password_hash, role, agent_id, created_at) VALUES (@name, @hash, @role, @agent, @at)
            RETURNING id
            """);
        SqlDialect.AddText(command, "@name", userName);
        SqlDialect.AddText(command, "@hash", passwordHash);
        SqlDialect.AddText(command, "@role", role);
        SqlDialect.AddLong(command, "@agent", agentId);
        dialect.AddInstant(command, "@at", DateTimeOffset.UtcNow);
        try
        {
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return new UserRecord(id, userName, passwordHash, role, agentId);
        }
        catch (DbException ex)
        {
            throw StoreErrors.Translate(dialect, ex, "userName", $"user name '{userName}'", $"agentId {agentId}: no such agent.");
        }
    }

    public async Task<UserRecord?> FindByNameAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "SELECT id, user_name, password_hash, role, agent_id FROM users WHERE user_name = @name");
        SqlDialect.AddText(command, "@name", userName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new UserRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), SqlDialect.GetLongOrNull(reader, 4))
            : null;
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT count(*) FROM users");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
