using System.Data.Common;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class DoNotCallStore(SqlDialect dialect) : IDoNotCallStore
{
    public async Task<bool> AddAsync(string phone, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phone);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "INSERT INTO dnc (phone, reason, added_at) VALUES (@phone, @reason, @at) ON CONFLICT (phone) DO NOTHING");
        SqlDialect.AddText(command, "@phone", phone);
        SqlDialect.AddText(command, "@reason", reason);
        dialect.AddInstant(command, "@at", DateTimeOffset.UtcNow);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (DbException ex) when (dialect.Violation(ex)?.Kind == ViolationKind.Check)
        {
            throw new ArgumentException($"phone: '{phone}' is not an E.164 number (+ and up to 15 digits).", nameof(phone), ex);
        }
    }

    public async Task<bool> RemoveAsync(string phone, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "DELETE FROM dnc WHERE phone = @phone");
        SqlDialect.AddText(command, "@phone", phone);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<string>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT phone FROM dnc ORDER BY phone");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var phones = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            phones.Add(reader.GetString(0));
        }

        return phones;
    }
}
