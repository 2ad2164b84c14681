using System.Data.Common;
using System.Globalization;
using System.Text;
using DialerCluster.Dialing.CallLog;

namespace DialerCluster.Storage;

internal sealed class CallLogStore(SqlDialect dialect) : ICallLogStore
{
    private const string Select =
        """
        SELECT c.id, c.case_id, c.campaign_id, p.name, c.agent_id, g.name, t.name, c.phone, c.started_at, c.answered_at, c.ended_at,
               c.outcome, c.abandoned, c.recording_url, r.score, r.comment, r.rated_by, r.rated_at
        FROM calls c
        JOIN campaigns p ON p.id = c.campaign_id
        JOIN cases k ON k.id = c.case_id
        JOIN contacts t ON t.id = k.contact_id
        LEFT JOIN agents g ON g.id = c.agent_id
        LEFT JOIN call_ratings r ON r.call_id = c.id
        """;

    public async Task<CallLogPage> ListAsync(CallLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 1 || query.PageSize is < 1 or > CallLogQuery.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), $"page must be 1 or more and pageSize 1 to {CallLogQuery.MaxPageSize}.");
        }

        var where = new StringBuilder("c.started_at >= @from AND c.started_at < @to");
        if (query.CampaignId is not null)
        {
            where.Append(" AND c.campaign_id = @campaign");
        }

        if (query.AgentId is not null)
        {
            where.Append(" AND c.agent_id = @agent");
        }

        if (query.Outcome == CallLogQuery.InProgress)
        {
            where.Append(" AND c.outcome IS NULL");
        }
        else if (query.Outcome is not null)
        {
            where.Append(" AND c.outcome = @outcome");
        }

        await using var connection = await dialect.OpenAsync(cancellationToken);
        long total;
        await using (var count = dialect.Command(connection, null, $"SELECT count(*) FROM calls c WHERE {where}"))
        {
            AddFilters(count, query);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var page = dialect.Command(connection, null, $"{Select} WHERE {where} ORDER BY c.started_at DESC, c.id DESC LIMIT @limit OFFSET @offset");
        AddFilters(page, query);
        SqlDialect.AddLong(page, "@limit", query.PageSize);
        SqlDialect.AddLong(page, "@offset", (long)(query.Page - 1) * query.PageSize);
        var items = new List<CallLogEntry>();
        await using var reader = await page.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
        }

        return new CallLogPage(items, total, query.Page, query.PageSize);
    }

    public async Task<CallLogEntry?> GetAsync(long callId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, $"{Select} WHERE c.id = @id");
        SqlDialect.AddLong(command, "@id", callId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<CallRating?> RateAsync(long callId, CallRating rating, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rating);
        if (CallRating.Validate(rating.Score, rating.Comment) is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")), nameof(rating));
        }

        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            INSERT INTO call_ratings (call_id, score, comment, rated_by, rated_at)
            SELECT id, @score, @comment, @by, @at FROM calls WHERE id = @id
            ON CONFLICT (call_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, rated_by = excluded.rated_by, rated_at = excluded.rated_at
            """);
        SqlDialect.AddLong(command, "@id", callId);
        SqlDialect.AddInt(command, "@score", rating.Score);
        SqlDialect.AddText(command, "@comment", rating.Comment);
        SqlDialect.AddText(command, "@by", rating.RatedBy);
        dialect.AddInstant(command, "@at", rating.RatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? rating with { RatedAt = SqlDialect.ToMilliseconds(rating.RatedAt) } : null;
    }

    private void AddFilters(DbCommand command, CallLogQuery query)
    {
        dialect.AddInstant(command, "@from", query.From);
        dialect.AddInstant(command, "@to", query.To);
        if (query.CampaignId is { } campaign)
        {
            SqlDialect.AddLong(command, "@campaign", campaign);
        }

        if (query.AgentId is { } agent)
        {
            SqlDialect.AddLong(command, "@agent", agent);
        }

        if (query.Outcome is { } outcome && outcome != CallLogQuery.InProgress)
        {
            SqlDialect.AddText(command, "@outcome", outcome);
        }
    }

    private CallLogEntry Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetInt64(2),
        reader.GetString(3),
        SqlDialect.GetLongOrNull(reader, 4),
        SqlDialect.GetTextOrNull(reader, 5),
        reader.GetString(6),
        reader.GetString(7),
        dialect.GetInstant(reader, 8),
        dialect.GetInstantOrNull(reader, 9),
        dialect.GetInstantOrNull(reader, 10),
        SqlDialect.GetTextOrNull(reader, 11),
        Convert.ToBoolean(reader.GetValue(12), CultureInfo.InvariantCulture),
        SqlDialect.GetTextOrNull(reader, 13),
        reader.IsDBNull(14)
            ? null
            : new CallRating(Convert.ToInt32(reader.GetValue(14), CultureInfo.InvariantCulture), SqlDialect.GetTextOrNull(reader, 15), reader.GetString(16), dialect.GetInstant(reader, 17)));
}
