using System.Data.Common;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

/// <summary>
/// The column lists of a case and a contact and how a row of them becomes a record, shared by the plain reads
/// and by the group committers, which read the held case and its contact inside the hold's own transaction.
/// </summary>
internal static class StoredRows
{
    public const string CaseColumns =
        """
        id, campaign_id, contact_id, status, priority, owner_agent_id, next_contact_at, acquisition_stage, lead_source,
        expected_close_date, contract_stage, resignation_reason, note, attempts, next_attempt_at, holder_agent_id, held_at,
        created_at, updated_at, version
        """;

    public const int CaseColumnCount = 20;

    public const string ContactColumns = "id, group_id, name, phones, email, company, address, time_zone, country, attributes";

    /// <summary>A column list with each column prefixed by a table alias ("k.id, k.campaign_id, ...").</summary>
    public static string Qualified(string columns, string alias) =>
        string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => $"{alias}.{c}"));

    /// <summary>The <see cref="CaseColumns"/> starting at <paramref name="first"/>.</summary>
    public static CaseRecord Case(DbDataReader reader, SqlDialect dialect, int first = 0)
    {
        var form = new CaseForm(
            dialect.GetInstantOrNull(reader, first + 6),
            SqlDialect.GetTextOrNull(reader, first + 7),
            SqlDialect.GetTextOrNull(reader, first + 8),
            dialect.GetDateOrNull(reader, first + 9),
            SqlDialect.GetTextOrNull(reader, first + 10),
            SqlDialect.GetTextOrNull(reader, first + 11),
            SqlDialect.GetTextOrNull(reader, first + 12));
        return new CaseRecord(
            reader.GetInt64(first),
            reader.GetInt64(first + 1),
            reader.GetInt64(first + 2),
            StoredJson.ParseStatus(reader.GetString(first + 3)),
            (CasePriority)reader.GetInt32(first + 4),
            SqlDialect.GetLongOrNull(reader, first + 5),
            form,
            reader.GetInt32(first + 13),
            dialect.GetInstantOrNull(reader, first + 14),
            SqlDialect.GetLongOrNull(reader, first + 15),
            dialect.GetInstantOrNull(reader, first + 16),
            dialect.GetInstant(reader, first + 17),
            dialect.GetInstant(reader, first + 18),
            reader.GetInt64(first + 19));
    }

    /// <summary>The <see cref="ContactColumns"/> starting at <paramref name="first"/>.</summary>
    public static ContactRecord Contact(DbDataReader reader, int first = 0) => new(
        reader.GetInt64(first),
        SqlDialect.GetLongOrNull(reader, first + 1),
        reader.GetString(first + 2),
        StoredJson.ReadPhones(reader.GetString(first + 3)),
        SqlDialect.GetTextOrNull(reader, first + 4),
        SqlDialect.GetTextOrNull(reader, first + 5),
        SqlDialect.GetTextOrNull(reader, first + 6),
        SqlDialect.GetTextOrNull(reader, first + 7),
        SqlDialect.GetTextOrNull(reader, first + 8),
        StoredJson.ReadAttributes(reader.GetString(first + 9)));
}
