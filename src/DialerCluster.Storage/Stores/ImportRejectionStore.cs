using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class ImportRejectionStore(SqlDialect dialect) : IImportRejectionStore
{
    public async Task SaveAsync(ImportRejections rejections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejections);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        await using (var expired = dialect.Command(connection, transaction, "DELETE FROM import_rejections WHERE expires_at < @now"))
        {
            dialect.AddInstant(expired, "@now", rejections.CreatedAt);
            await expired.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = dialect.Command(
            connection,
            transaction,
            """
            INSERT INTO import_rejections (import_id, user_name, file_name, rejected_rows, csv, created_at, expires_at)
            VALUES (@id, @user, @file, @rows, @csv, @created, @expires)
            """))
        {
            SqlDialect.AddText(insert, "@id", rejections.ImportId);
            SqlDialect.AddText(insert, "@user", rejections.UserName);
            SqlDialect.AddText(insert, "@file", rejections.FileName);
            SqlDialect.AddInt(insert, "@rows", rejections.RejectedRows);
            SqlDialect.AddText(insert, "@csv", rejections.Csv);
            dialect.AddInstant(insert, "@created", rejections.CreatedAt);
            dialect.AddInstant(insert, "@expires", rejections.ExpiresAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ImportRejections?> GetAsync(string importId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            SELECT import_id, user_name, file_name, rejected_rows, csv, created_at, expires_at
            FROM import_rejections WHERE import_id = @id AND expires_at >= @now
            """);
        SqlDialect.AddText(command, "@id", importId);
        dialect.AddInstant(command, "@now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ImportRejections(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetInt32(3),
            reader.GetString(4),
            dialect.GetInstant(reader, 5),
            dialect.GetInstant(reader, 6));
    }
}
