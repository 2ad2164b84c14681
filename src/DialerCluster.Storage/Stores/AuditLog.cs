using DialerCluster.Dialing.Audit;

namespace DialerCluster.Storage;

internal sealed class AuditLog(SqlDialect dialect) : IAuditLog
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

    public async Task<IReadOnlyList<AuditRecord>> RecentAsync(int limit, string? subject, string? action, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            SELECT id, at, actor, action, subject, detail FROM audit_log
            WHERE (@subject IS NULL OR subject = @subject) AND (@action IS NULL OR action = @action)
            ORDER BY id DESC LIMIT @limit
            """);
        SqlDialect.AddText(command, "@subject", subject);
        SqlDialect.AddText(command, "@action", action);
        SqlDialect.AddInt(command, "@limit", Math.Clamp(limit, 1, MaxLimit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<AuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new AuditRecord(
                reader.GetInt64(0),
                dialect.GetInstant(reader, 1),
                reader.GetString(2),
                reader.GetString(3),
                SqlDialect.GetTextOrNull(reader, 4),
                SqlDialect.GetTextOrNull(reader, 5)));
        }

        return records;
    }
}
