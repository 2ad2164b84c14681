using DialerCluster.Dialing.Audit;

namespace DialerCluster.Storage;

internal sealed class AuditLogStore(SqlDialect dialect) : IAuditLog
{
    public const int MaxLimit = 1_000;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (@at, @actor, @action, @subject, @detail)");
        dialect.AddInstant(command, "@at", entry.At);
        SqlDialect.AddText(command, "@actor", entry.Actor);
        SqlDialect.AddText(command, "@action", entry.Action);
        SqlDialect.AddText(command, "@subject", entry.Subject);
        SqlDialect.AddText(command, "@detail", entry.Detail);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? subject, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            $"SELECT at, actor, action, subject, detail FROM audit_log {(subject is null ? "" : "WHERE subject = @subject")} ORDER BY at DESC, id DESC LIMIT @limit");
        if (subject is not null)
        {
            SqlDialect.AddText(command, "@subject", subject);
        }

        SqlDialect.AddLong(command, "@limit", Math.Clamp(limit, 1, MaxLimit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                dialect.GetInstant(reader, 0), reader.GetString(1), reader.GetString(2), SqlDialect.GetTextOrNull(reader, 3), SqlDialect.GetTextOrNull(reader, 4)));
        }

        return entries;
    }
}
