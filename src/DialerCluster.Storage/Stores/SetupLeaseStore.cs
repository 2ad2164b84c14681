using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class SetupLeaseStore(SqlDialect dialect) : ISetupLeaseStore
{
    public async Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        await using var connection = await dialect.OpenAsync(cancellationToken);

        // One statement: a free or expired lease is taken, a live one (even our own) is left alone and returns no row.
        await using var command = dialect.Command(
            connection,
            null,
            """
            INSERT INTO setup_leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE setup_leases.expires_at <= @now
            RETURNING holder
            """);
        SqlDialect.AddText(command, "@name", name);
        SqlDialect.AddText(command, "@holder", holder);
        dialect.AddInstant(command, "@expires", now + lifetime);
        dialect.AddInstant(command, "@now", now);
        return await command.ExecuteScalarAsync(cancellationToken) is string taken && taken == holder;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "DELETE FROM setup_leases WHERE name = @name AND holder = @holder");
        SqlDialect.AddText(command, "@name", name);
        SqlDialect.AddText(command, "@holder", holder);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
