using System.Data.Common;
using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class DoNotCallStore(SqlDialect dialect) : IDoNotCallStore
{
    public const int MaxPageSize = 500;

    // Rows per INSERT: three parameters each, well under either engine's limit on parameters per statement.
    private const int ChunkSize = 500;

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

    public async Task<int> AddManyAsync(IReadOnlyList<DoNotCallEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        var added = 0;
        foreach (var chunk in entries.Chunk(ChunkSize))
        {
            var sql = new StringBuilder("INSERT INTO dnc (phone, reason, added_at) VALUES ");
            await using var command = dialect.Command(connection, transaction, "");
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@p{i}, @r{i}, @a{i})");
                SqlDialect.AddText(command, $"@p{i}", chunk[i].Phone);
                SqlDialect.AddText(command, $"@r{i}", chunk[i].Reason);
                dialect.AddInstant(command, $"@a{i}", chunk[i].AddedAt);
            }

            command.CommandText = sql.Append(" ON CONFLICT (phone) DO NOTHING").ToString();
            try
            {
                added += await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException ex) when (dialect.Violation(ex)?.Kind == ViolationKind.Check)
            {
                throw new ArgumentException("phone: a number is not E.164 (+ and up to 15 digits); nothing was added.", nameof(entries), ex);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<DoNotCallPage> SearchAsync(string? text, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (page < 1 || pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), $"page must be 1 or more and pageSize 1 to {MaxPageSize}.");
        }

        // Contains, case-insensitively, with the user's % and _ taken literally.
        var pattern = string.IsNullOrWhiteSpace(text)
            ? null
            : "%" + text.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var where = pattern is null ? "" : "WHERE phone LIKE @pattern ESCAPE '\\' OR lower(COALESCE(reason, '')) LIKE @pattern ESCAPE '\\'";
        await using var connection = await dialect.OpenAsync(cancellationToken);
        long total;
        await using (var count = dialect.Command(connection, null, $"SELECT count(*) FROM dnc {where}"))
        {
            SqlDialect.AddText(count, "@pattern", pattern);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var command = dialect.Command(
            connection, null, $"SELECT phone, reason, added_at FROM dnc {where} ORDER BY phone LIMIT @limit OFFSET @offset");
        SqlDialect.AddText(command, "@pattern", pattern);
        SqlDialect.AddLong(command, "@limit", pageSize);
        SqlDialect.AddLong(command, "@offset", (long)(page - 1) * pageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<DoNotCallEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new DoNotCallEntry(reader.GetString(0), SqlDialect.GetTextOrNull(reader, 1), dialect.GetInstant(reader, 2)));
        }

        return new DoNotCallPage(items, total, page, pageSize);
    }
}
