using System.Data.Common;
using System.Globalization;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Stores;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace DialerCluster.Storage;

internal sealed class ContactStore(SqlDialect dialect) : IContactStore
{
    /// <summary>Phones per lookup statement: one array/JSON parameter each, so the size is about memory, not parameter limits.</summary>
    private const int PhoneChunk = 50_000;

    private const string ContactColumns = "group_id, name, primary_phone, phones, email, company, address, time_zone, country, attributes";

    public async Task<IReadOnlySet<string>> ExistingPhonesAsync(IReadOnlyCollection<string> phones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phones);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (phones.Count == 0)
        {
            return existing;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken);
        foreach (var chunk in phones.Chunk(PhoneChunk))
        {
            await using var command = dialect.Command(
                connection, null, $"SELECT primary_phone FROM contacts WHERE {dialect.InList("primary_phone", "@phones")}");
            dialect.AddTextList(command, "@phones", chunk);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        return existing;
    }

    public async Task<long> ImportGroupAsync(string name, IReadOnlyList<ContactDraft> contacts, int rowCount, int rejectedCount, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("name: a contact group needs a name.", nameof(name));
        }

        ArgumentNullException.ThrowIfNull(contacts);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(rejectedCount);
        foreach (var contact in contacts)
        {
            CheckDraft(contact);
        }

        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        long groupId;
        await using (var group = dialect.Command(
            connection,
            transaction,
            """
            INSERT INTO contact_groups (name, row_count, imported_count, rejected_count, created_at)
            VALUES (@name, @rows, @imported, @rejected, @at) RETURNING id
            """))
        {
            SqlDialect.AddText(group, "@name", name.Trim());
            SqlDialect.AddInt(group, "@rows", rowCount);
            SqlDialect.AddInt(group, "@imported", contacts.Count);
            SqlDialect.AddInt(group, "@rejected", rejectedCount);
            dialect.AddInstant(group, "@at", DateTimeOffset.UtcNow);
            groupId = Convert.ToInt64(await group.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        // Nothing is committed unless every contact went in: a failure disposes the transaction, which rolls back.
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, groupId, contacts, cancellationToken);
        }
        else
        {
            InsertPrepared((SqliteConnection)connection, (SqliteTransaction)transaction, groupId, contacts, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return groupId;
    }

    public async Task<long> FindOrAddAsync(ContactDraft contact, CancellationToken cancellationToken)
    {
        CheckDraft(contact);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var insert = dialect.Command(
            connection,
            null,
            $"""
            INSERT INTO contacts ({ContactColumns}, created_at)
            VALUES (NULL, @name, @phone, @phones, @email, @company, @address, @zone, @country, @attributes, @at)
            ON CONFLICT (primary_phone) DO NOTHING
            RETURNING id
            """);
        SqlDialect.AddText(insert, "@name", contact.Name ?? "");
        SqlDialect.AddText(insert, "@phone", contact.PrimaryPhone);
        dialect.AddJson(insert, "@phones", StoredJson.Phones(contact.Phones));
        SqlDialect.AddText(insert, "@email", contact.Email);
        SqlDialect.AddText(insert, "@company", contact.Company);
        SqlDialect.AddText(insert, "@address", contact.Address);
        SqlDialect.AddText(insert, "@zone", contact.TimeZone);
        SqlDialect.AddText(insert, "@country", contact.Country);
        dialect.AddJson(insert, "@attributes", StoredJson.Attributes(contact.Attributes));
        dialect.AddInstant(insert, "@at", DateTimeOffset.UtcNow);
        try
        {
            if (await insert.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull)
            {
                return Convert.ToInt64(id, CultureInfo.InvariantCulture);
            }
        }
        catch (DbException ex) when (dialect.Violation(ex)?.Kind == ViolationKind.Check)
        {
            throw new ArgumentException($"contact: refused by the database ({dialect.Violation(ex)!.Constraint}).", nameof(contact), ex);
        }

        await using var find = dialect.Command(connection, null, "SELECT id FROM contacts WHERE primary_phone = @phone");
        SqlDialect.AddText(find, "@phone", contact.PrimaryPhone);
        return Convert.ToInt64(await find.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<ContactRecord?> GetAsync(long contactId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            $"SELECT {StoredRows.ContactColumns} FROM contacts WHERE id = @id");
        SqlDialect.AddLong(command, "@id", contactId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return StoredRows.Contact(reader);
    }

    public async Task<bool> GroupExistsAsync(long groupId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT 1 FROM contact_groups WHERE id = @id");
        SqlDialect.AddLong(command, "@id", groupId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null and not DBNull;
    }

    public async Task<IReadOnlyList<long>> ContactIdsInGroupAsync(long groupId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "SELECT id FROM contacts WHERE group_id = @id ORDER BY id");
        SqlDialect.AddLong(command, "@id", groupId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static void CheckDraft(ContactDraft contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (contact.Phones is null || contact.Phones.Count == 0 || string.IsNullOrWhiteSpace(contact.Phones[0]))
        {
            throw new ArgumentException($"phones: the contact of row {contact.Row} has no phone number.", nameof(contact));
        }
    }

    /// <summary>Binary COPY: one stream for the whole file, about ten times faster than multi-row INSERTs.</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, long groupId, IReadOnlyList<ContactDraft> contacts, CancellationToken cancellationToken)
    {
        try
        {
            await using var importer = await connection.BeginBinaryImportAsync(
                $"COPY contacts ({ContactColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var contact in contacts)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(groupId, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(contact.Name ?? "", NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(contact.PrimaryPhone, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(StoredJson.Phones(contact.Phones), NpgsqlDbType.Jsonb, cancellationToken);
                await WriteTextAsync(importer, contact.Email, cancellationToken);
                await WriteTextAsync(importer, contact.Company, cancellationToken);
                await WriteTextAsync(importer, contact.Address, cancellationToken);
                await WriteTextAsync(importer, contact.TimeZone, cancellationToken);
                await WriteTextAsync(importer, contact.Country, cancellationToken);
                await importer.WriteAsync(StoredJson.Attributes(contact.Attributes), NpgsqlDbType.Jsonb, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateKeyException("phone", $"phone: a number in the import already belongs to a contact ({ex.MessageText}); nothing was imported.", ex);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation)
        {
            throw new ArgumentException($"contacts: a row was refused by the database ({ex.ConstraintName ?? ex.MessageText}); nothing was imported.", nameof(contacts), ex);
        }
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    /// <summary>One prepared statement re-bound per row inside the one transaction: SQLite's fastest bulk path.</summary>
    private static void InsertPrepared(SqliteConnection connection, SqliteTransaction transaction, long groupId, IReadOnlyList<ContactDraft> contacts, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO contacts ({ContactColumns}) VALUES (@group, @name, @phone, @phones, @email, @company, @address, @zone, @country, @attributes)";
        command.Parameters.AddWithValue("@group", groupId);
        var name = command.Parameters.Add("@name", SqliteType.Text);
        var phone = command.Parameters.Add("@phone", SqliteType.Text);
        var phones = command.Parameters.Add("@phones", SqliteType.Text);
        var email = command.Parameters.Add("@email", SqliteType.Text);
        var company = command.Parameters.Add("@company", SqliteType.Text);
        var address = command.Parameters.Add("@address", SqliteType.Text);
        var zone = command.Parameters.Add("@zone", SqliteType.Text);
        var country = command.Parameters.Add("@country", SqliteType.Text);
        var attributes = command.Parameters.Add("@attributes", SqliteType.Text);
        command.Prepare();
        for (var i = 0; i < contacts.Count; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var contact = contacts[i];
            name.Value = contact.Name ?? "";
            phone.Value = contact.PrimaryPhone;
            phones.Value = StoredJson.Phones(contact.Phones);
            email.Value = (object?)contact.Email ?? DBNull.Value;
            company.Value = (object?)contact.Company ?? DBNull.Value;
            address.Value = (object?)contact.Address ?? DBNull.Value;
            zone.Value = (object?)contact.TimeZone ?? DBNull.Value;
            country.Value = (object?)contact.Country ?? DBNull.Value;
            attributes.Value = StoredJson.Attributes(contact.Attributes);
            try
            {
                command.ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw ex.SqliteExtendedErrorCode is 2067 or 1555
                    ? new DuplicateKeyException("phone", $"phone: {contact.PrimaryPhone} (row {contact.Row}) already belongs to a contact; nothing was imported.", ex)
                    : new ArgumentException($"contacts: row {contact.Row} was refused by the database ({ex.Message}); nothing was imported.", nameof(contacts), ex);
            }
        }
    }
}
