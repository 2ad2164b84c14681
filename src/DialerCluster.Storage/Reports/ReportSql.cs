using System.Data.Common;
using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Reports;

namespace DialerCluster.Storage;

/// <summary>
/// The SQL the reports share: the filter's conditions, time arithmetic per engine, and the actor mapping (history names
/// who did something as an agent id or as a user name; users linked to an agent count as that agent).
/// </summary>
internal sealed class ReportSql(SqlDialect dialect)
{
    /// <summary>The stage a resignation left from: New 0, In acquisition 1, Offered 2; null for other moves.</summary>
    public const string ResignedFromRank =
        "CASE WHEN m.to_status = 'resigned' THEN CASE m.from_status WHEN 'in_acquisition' THEN 1 WHEN 'offered' THEN 2 ELSE 0 END END";

    /// <summary>Every actor name of every agent: its id in decimal, and the user names linked to it.</summary>
    public const string Actors =
        "actors (actor, agent_id) AS (SELECT user_name, agent_id FROM users WHERE agent_id IS NOT NULL UNION ALL SELECT CAST(id AS TEXT), id FROM agents)";

    public SqlDialect Dialect { get; } = dialect;

    /// <summary>Milliseconds from <paramref name="start"/> to <paramref name="end"/>, both instants.</summary>
    public string Millis(string end, string start) => Dialect.Kind == StorageDialect.Postgres
        ? $"(EXTRACT(EPOCH FROM ({end} - {start})) * 1000)"
        : $"({end} - {start})";

    /// <summary>Whole weeks (rounded down) in a number of milliseconds.</summary>
    public string WholeWeeks(string millis) => Dialect.Kind == StorageDialect.Postgres
        ? $"CAST(FLOOR({millis} / 604800000.0) AS bigint)"
        : $"CAST({millis} / 604800000 AS INTEGER)";

    public string Least(string a, string b) => Dialect.Kind == StorageDialect.Postgres ? $"LEAST({a}, {b})" : $"min({a}, {b})";

    public string Greatest(string a, string b) => Dialect.Kind == StorageDialect.Postgres ? $"GREATEST({a}, {b})" : $"max({a}, {b})";

    public string True => Dialect.Kind == StorageDialect.Postgres ? "true" : "1";

    /// <summary>The cohort of a period: cases created in it, of the campaign and lead source; with an agent, owned or moved by them.</summary>
    public string Cohort(ReportFilter filter, string cases = "k")
    {
        var where = new StringBuilder($"{cases}.created_at >= @from AND {cases}.created_at < @to");
        AppendCaseFilters(where, filter, cases);
        if (filter.AgentId is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $"""
                 AND ({cases}.owner_agent_id = @agent OR EXISTS (SELECT 1 FROM case_activities x
                     WHERE x.case_id = {cases}.id AND x.kind = 'status_changed' AND {Dialect.InList("x.actor", "@actors")}))
                """);
        }

        return where.ToString();
    }

    /// <summary>Campaign and lead source, on a case row.</summary>
    public static void AppendCaseFilters(StringBuilder where, ReportFilter filter, string cases = "k")
    {
        if (filter.CampaignId is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {cases}.campaign_id = @campaign");
        }

        if (filter.LeadSource is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {cases}.lead_source = @source");
        }
    }

    /// <summary>Calls of the period, of the campaign and agent; the lead source is the called case's.</summary>
    public static string CallsOf(ReportFilter filter, string calls = "c")
    {
        var where = new StringBuilder($"{calls}.started_at >= @from AND {calls}.started_at < @to");
        if (filter.CampaignId is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {calls}.campaign_id = @campaign");
        }

        if (filter.AgentId is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {calls}.agent_id = @agent");
        }

        if (filter.LeadSource is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND EXISTS (SELECT 1 FROM cases s WHERE s.id = {calls}.case_id AND s.lead_source = @source)");
        }

        return where.ToString();
    }

    /// <summary>
    /// The period's calls as figures per campaign, agent (0: none) and outcome ('in_progress' until it has one): whole UTC
    /// days from the call_days rollup, the partial first and last day from the calls themselves (see
    /// <see cref="AddWholeDays"/>). A lead source is the called case's as it is now, which the rollup does not keep: then
    /// every call of the period is read.
    /// </summary>
    public string CallFigures(ReportFilter filter)
    {
        string Campaign(string table) => filter.CampaignId is null ? "" : $" AND {table}.campaign_id = @campaign";
        string Agent(string table) => filter.AgentId is null ? "" : $" AND {table}.agent_id = @agent";
        string Calls(string from, string to, string extra) => $"""
            SELECT c.campaign_id, COALESCE(c.agent_id, 0) AS agent_id, COALESCE(c.outcome, 'in_progress') AS outcome, 1 AS calls,
                   CASE WHEN c.answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
                   CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN {Millis("c.ended_at", "c.answered_at")} ELSE 0 END AS talk
            FROM calls c WHERE c.started_at >= {from} AND c.started_at < {to}{Campaign("c")}{Agent("c")}{extra}
            """;

        if (filter.LeadSource is not null)
        {
            return Calls("@from", "@to", " AND EXISTS (SELECT 1 FROM cases s WHERE s.id = c.case_id AND s.lead_source = @source)");
        }

        return $"""
            SELECT call_days.campaign_id, call_days.agent_id, call_days.outcome, call_days.calls, call_days.answered, call_days.talk_ms AS talk
            FROM call_days WHERE call_days.day >= @firstDay AND call_days.day < @lastDay{Campaign("call_days")}{Agent("call_days")}
            UNION ALL
            {Calls("@from", "@firstDay", "")}
            UNION ALL
            {Calls("@lastDay", "@to", "")}
            """;
    }

    /// <summary>
    /// @firstDay and @lastDay: the whole UTC days inside [<paramref name="from"/>, <paramref name="end"/>), read from a day
    /// rollup, while [from, @firstDay) and [@lastDay, end) are read from the log. Without a whole day both are the end,
    /// and the log is read for all of it.
    /// </summary>
    public void AddWholeDays(DbCommand command, DateTimeOffset from, DateTimeOffset end)
    {
        var first = from.UtcDateTime.Date == from.UtcDateTime ? from : new DateTimeOffset(from.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var last = new DateTimeOffset(end.UtcDateTime.Date, TimeSpan.Zero);
        if (first >= last)
        {
            first = last = end;
        }

        Dialect.AddInstant(command, "@firstDay", first);
        Dialect.AddInstant(command, "@lastDay", last);
    }

    /// <summary>
    /// Stage moves of the period (history rows <c>m</c>, joined to their case <c>k</c> when campaign or lead source
    /// filter), made by the agent when one is asked for.
    /// </summary>
    public string MovesOf(ReportFilter filter, string extra = "")
    {
        // Moves into the four stages a report counts, named: the moves index leads with the stage, then the time.
        var where = new StringBuilder("m.kind = 'status_changed' AND m.at >= @from AND m.at < @to AND ")
            .Append(extra.Length > 0 ? extra : "m.to_status IN ('in_acquisition', 'offered', 'won', 'resigned')");

        AppendCaseFilters(where, filter);
        if (filter.AgentId is not null)
        {
            where.Append(" AND ").Append(Dialect.InList("m.actor", "@actors"));
        }

        return where.ToString();
    }

    /// <summary>
    /// The agents' states still going (alias <c>l</c>), read through their partial index: SQLite's planner, without
    /// statistics, otherwise walks the whole log's time index up to the period's end.
    /// </summary>
    public string OpenStates => Dialect.Kind == StorageDialect.Sqlite
        ? "agent_state_log l INDEXED BY agent_state_log_open"
        : "agent_state_log l";

    /// <summary>FROM clause for <see cref="MovesOf"/>: the case is joined only when a filter needs it.</summary>
    public static string MovesFrom(ReportFilter filter, bool needCase = false) =>
        needCase || filter.CampaignId is not null || filter.LeadSource is not null
            ? "case_activities m JOIN cases k ON k.id = m.case_id"
            : "case_activities m";

    /// <summary>Adds the filter's parameters (and @actors for an agent: read here, once per report).</summary>
    public async Task AddFilterAsync(DbConnection connection, DbCommand command, ReportFilter filter, CancellationToken cancellationToken)
    {
        Dialect.AddInstant(command, "@from", filter.From);
        Dialect.AddInstant(command, "@to", filter.To);
        if (filter.CampaignId is { } campaign)
        {
            SqlDialect.AddLong(command, "@campaign", campaign);
        }

        if (filter.LeadSource is { } source)
        {
            SqlDialect.AddText(command, "@source", source);
        }

        if (filter.AgentId is { } agent)
        {
            SqlDialect.AddLong(command, "@agent", agent);
            Dialect.AddTextList(command, "@actors", await ActorNamesAsync(connection, agent, cancellationToken));
        }
    }

    /// <summary>The names an agent's actions are recorded under: its id, and the user names linked to it.</summary>
    public async Task<IReadOnlyList<string>> ActorNamesAsync(DbConnection connection, long agentId, CancellationToken cancellationToken)
    {
        var names = new List<string> { agentId.ToString(CultureInfo.InvariantCulture) };
        await using var command = Dialect.Command(connection, null, "SELECT user_name FROM users WHERE agent_id = @agent");
        SqlDialect.AddLong(command, "@agent", agentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public static long Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static double? DoubleOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static TimeSpan Duration(DbDataReader reader, int ordinal) =>
        TimeSpan.FromMilliseconds(Math.Round(DoubleOrNull(reader, ordinal) ?? 0));

    public static TimeSpan Duration(decimal millis) => TimeSpan.FromMilliseconds(Math.Round((double)millis));
}
