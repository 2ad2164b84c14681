using System.Data.Common;
using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Reports;

namespace DialerCluster.Storage;

/// <summary>
/// The reports in SQL, the same statements on SQLite and PostgreSQL (time arithmetic aside, see <see cref="ReportSql"/>).
/// Stage moves are read through case_activities' from_status/to_status columns (generated from the details JSON) and the
/// partial indexes over status_changed rows; calls and agent states over whole UTC days from the day rollups, and how far
/// a case got from its own row (all kept by triggers, migration 0012); the figures over a million cases are in the README.
/// </summary>
internal sealed class ReportStore(SqlDialect dialect) : IReportStore
{
    private readonly ReportSql _sql = new(dialect);

    /// <summary>Told of every statement just before it runs (the report benchmark prints each one's query plan).</summary>
    internal Action<DbCommand>? Observe { get; init; }

    public async Task<FunnelCounts> FunnelAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        // Every stage change writes a move, and the case keeps how far its moves got (reach, resigned_from): one pass
        // over the cohort's index entries.
        var sql = $"""
            SELECT count(*),
                   COALESCE(SUM(CASE WHEN k.reach >= 1 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.reach >= 2 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.reach >= 3 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.resigned_from = 0 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.resigned_from = 1 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.resigned_from = 2 THEN 1 ELSE 0 END), 0)
            FROM cases k WHERE {_sql.Cohort(filter)}
            """;
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, sql);
        await _sql.AddFilterAsync(connection, command, filter, cancellationToken);
        await using var reader = await ExecuteAsync(command, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var cases = ReportSql.Long(reader, 0);
        var reached = new Dictionary<CaseStatus, long>
        {
            [CaseStatus.New] = cases,
            [CaseStatus.InAcquisition] = ReportSql.Long(reader, 1),
            [CaseStatus.Offered] = ReportSql.Long(reader, 2),
            [CaseStatus.Won] = ReportSql.Long(reader, 3),
        };
        var resigned = new Dictionary<CaseStatus, long>
        {
            [CaseStatus.New] = ReportSql.Long(reader, 4),
            [CaseStatus.InAcquisition] = ReportSql.Long(reader, 5),
            [CaseStatus.Offered] = ReportSql.Long(reader, 6),
        };
        return new FunnelCounts(cases, reached, resigned);
    }

    public async Task<IReadOnlyList<AgentCounts>> AgentsAsync(ReportFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var end = now < filter.To ? now : filter.To;
        await using var connection = await dialect.OpenAsync(cancellationToken);
        var rows = new Dictionary<long, AgentRow>();
        AgentRow Row(long id) => rows.TryGetValue(id, out var row) ? row : rows[id] = new AgentRow();

        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT f.agent_id, SUM(f.calls), COALESCE(SUM(f.talk), 0)
            FROM ({_sql.CallFigures(filter)}) f WHERE f.agent_id <> 0
            GROUP BY f.agent_id
            """,
            reader =>
            {
                var row = Row(reader.GetInt64(0));
                row.Calls = ReportSql.Long(reader, 1);
                row.Talk = ReportSql.Duration(reader, 2);
            },
            cancellationToken,
            command => _sql.AddWholeDays(command, filter.From, filter.To));

        // Ratings first: a supervisor rates a few calls, and SQLite keeps a CROSS JOIN's order instead of walking every
        // call of the period to look for a rating (PostgreSQL plans it as any inner join).
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT c.agent_id, count(*), AVG(r.score * 1.0)
            FROM call_ratings r CROSS JOIN calls c
            WHERE c.id = r.call_id AND {ReportSql.CallsOf(filter)} AND c.agent_id IS NOT NULL
            GROUP BY c.agent_id
            """,
            reader =>
            {
                var row = Row(reader.GetInt64(0));
                row.Ratings = ReportSql.Long(reader, 1);
                row.AverageRating = ReportSql.DoubleOrNull(reader, 2);
            },
            cancellationToken);

        await ReadAsync(
            connection,
            filter,
            $"""
            WITH {ReportSql.Actors}
            SELECT a.agent_id, m.to_status, count(*)
            FROM {ReportSql.MovesFrom(filter)} JOIN actors a ON a.actor = m.actor
            WHERE {_sql.MovesOf(filter)}
            GROUP BY a.agent_id, m.to_status
            """,
            reader =>
            {
                var row = Row(reader.GetInt64(0));
                var count = ReportSql.Long(reader, 2);
                switch (SqlDialect.GetTextOrNull(reader, 1))
                {
                    case "in_acquisition": row.ToAcquisition += count; break;
                    case "offered": row.ToOffered += count; break;
                    case "won": row.Won += count; break;
                    case "resigned": row.Resigned += count; break;
                }
            },
            cancellationToken);

        // Time in state: the log's rows inside the period, plus each agent's last row before it (the state it was in
        // when the period began); each lasts until the agent's next row, clipped to the period and to now.
        foreach (var (agentId, state, time) in await StateTimesAsync(connection, filter.From, end, filter.AgentId, cancellationToken))
        {
            if (filter.CampaignId is not null && !rows.ContainsKey(agentId))
            {
                // The log has no campaign: with a campaign asked for, only agents who worked in it are shown.
                continue;
            }

            var row = Row(agentId);
            switch (state)
            {
                case "ready": row.Ready += time; break;
                case "on_call": row.OnCall += time; break;
                case "wrap_up": row.WrapUp += time; break;
                case "break": row.Break += time; break;
            }
        }

        return Shaped(rows, await AgentNamesAsync(connection, cancellationToken));
    }

    /// <summary>Named, sorted by name; the dialer's lines (records that hold a case while it rings) are not people and are left out.</summary>
    private static AgentCounts[] Shaped(Dictionary<long, AgentRow> rows, Dictionary<long, string> names) =>
        rows
            .Where(r => names.TryGetValue(r.Key, out var name) && !DialerLines.IsLine(name))
            .OrderBy(r => names[r.Key], StringComparer.CurrentCultureIgnoreCase)
            .ThenBy(r => r.Key)
            .Select(r => r.Value.ToCounts(r.Key, names[r.Key]))
            .ToArray();

    private async Task<Dictionary<long, string>> AgentNamesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var names = new Dictionary<long, string>();
        await using var command = dialect.Command(connection, null, "SELECT id, name FROM agents");
        await using var reader = await ExecuteAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names[reader.GetInt64(0)] = reader.GetString(1);
        }

        return names;
    }

    public async Task<IReadOnlyList<ResignationCounts>> ResignationsAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT COALESCE(TRIM(k.resignation_reason), ''), {ReportSql.ResignedFromRank}, count(*)
            FROM {ReportSql.MovesFrom(filter, needCase: true)}
            WHERE {_sql.MovesOf(filter, "m.to_status = 'resigned'")}
            GROUP BY COALESCE(TRIM(k.resignation_reason), ''), {ReportSql.ResignedFromRank}
            """,
            reader =>
            {
                var reason = reader.GetString(0);
                if (!counts.TryGetValue(reason, out var perStage))
                {
                    counts[reason] = perStage = new long[3];
                }

                perStage[Math.Clamp((int)ReportSql.Long(reader, 1), 0, 2)] += ReportSql.Long(reader, 2);
            },
            cancellationToken);

        return counts
            .Select(c => new ResignationCounts(c.Key, c.Value[0], c.Value[1], c.Value[2]))
            .OrderByDescending(c => c.Cases)
            .ThenBy(c => c.Reason, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<SalesCycleCounts> SalesCycleAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        var ends = SalesCycleCounts.BucketEnds;
        var buckets = new List<string>();
        for (var i = 0; i <= ends.Count; i++)
        {
            var low = i == 0 ? null : $"days >= {ends[i - 1]}";
            var high = i == ends.Count ? null : $"days < {ends[i]}";
            var test = low is null ? high : high is null ? low : $"{low} AND {high}";
            buckets.Add($"COALESCE(SUM(CASE WHEN {test} THEN 1 ELSE 0 END), 0)");
        }

        // Median without a percentile function (SQLite has none): the middle one or two of the ranked lengths.
        var sql = $"""
            WITH won AS (
                SELECT m.at AS won_at, k.first_contact_at FROM {ReportSql.MovesFrom(filter, needCase: true)} WHERE {_sql.MovesOf(filter, "m.to_status = 'won'")}
            ),
            cycles AS (
                SELECT {_sql.Millis("w.won_at", "w.first_contact_at")} / 86400000.0 AS days
                FROM won w
            ),
            ranked AS (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS rn, COUNT(*) OVER () AS n FROM cycles)
            SELECT count(*), AVG(days), AVG(CASE WHEN rn = (n + 1) / 2 OR rn = (n + 2) / 2 THEN days END), {string.Join(", ", buckets)}
            FROM ranked
            """;
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, sql);
        await _sql.AddFilterAsync(connection, command, filter, cancellationToken);
        await using var reader = await ExecuteAsync(command, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var perBucket = Enumerable.Range(0, ends.Count + 1).Select(i => ReportSql.Long(reader, 3 + i)).ToArray();
        return new SalesCycleCounts(ReportSql.Long(reader, 0), ReportSql.DoubleOrNull(reader, 2), ReportSql.DoubleOrNull(reader, 1), perBucket);
    }

    public async Task<IReadOnlyList<LeadSourceCounts>> LeadSourcesAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, long[]>(StringComparer.Ordinal);
        long[] Row(string source) => rows.TryGetValue(source, out var row) ? row : rows[source] = new long[4];

        await using var connection = await dialect.OpenAsync(cancellationToken);
        // Won and resigned count the cases that got there by a move (a case never moved has no reach).
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT k.lead_source, count(*),
                   COALESCE(SUM(CASE WHEN k.reach >= 2 THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.reach IS NOT NULL AND k.status = 'won' THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN k.reach IS NOT NULL AND k.status = 'resigned' THEN 1 ELSE 0 END), 0)
            FROM cases k WHERE k.lead_source IS NOT NULL AND {_sql.Cohort(filter)}
            GROUP BY k.lead_source
            """,
            reader =>
            {
                var row = Row(reader.GetString(0));
                row[0] = ReportSql.Long(reader, 1);
                row[1] = ReportSql.Long(reader, 2);
                row[2] = ReportSql.Long(reader, 3);
                row[3] = ReportSql.Long(reader, 4);
            },
            cancellationToken);

        return rows
            .Select(r => new LeadSourceCounts(r.Key, r.Value[0], r.Value[1], r.Value[2], r.Value[3]))
            .OrderByDescending(r => r.Cases)
            .ThenBy(r => r.LeadSource, StringComparer.Ordinal)
            .ToArray();
    }

    public async Task<IReadOnlyList<CallOutcomeCounts>> CallOutcomesAsync(ReportFilter filter, CancellationToken cancellationToken)
    {
        var rows = new List<CallOutcomeCounts>();
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT f.outcome, SUM(f.calls), COALESCE(SUM(f.answered), 0), COALESCE(SUM(f.talk), 0)
            FROM ({_sql.CallFigures(filter)}) f
            GROUP BY f.outcome
            """,
            reader => rows.Add(new CallOutcomeCounts(reader.GetString(0), ReportSql.Long(reader, 1), ReportSql.Long(reader, 2), ReportSql.Duration(reader, 3))),
            cancellationToken,
            command => _sql.AddWholeDays(command, filter.From, filter.To));
        return rows.OrderByDescending(r => r.Calls).ThenBy(r => r.Outcome, StringComparer.Ordinal).ToArray();
    }

    public async Task<ForecastInputs> ForecastInputsAsync(ForecastQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var learnFrom = query.AsOf.AddDays(-7 * ForecastQuery.LearnWeeks);
        var recentFrom = query.AsOf.AddDays(-7 * ForecastQuery.RecentWeeks);
        var filter = new ReportFilter(learnFrom, query.AsOf, query.CampaignId, LeadSource: query.LeadSource);
        var scope = new StringBuilder();
        ReportSql.AppendCaseFilters(scope, filter);

        await using var connection = await dialect.OpenAsync(cancellationToken);

        // The cases closed in the learning window: how far each got, whether it was won, and its cycle in whole weeks.
        var closedReached = new Dictionary<CaseStatus, long>();
        var wonReached = new Dictionary<CaseStatus, long>();
        var cycleWon = new long[ForecastQuery.CycleWeeks];
        var cycleClosed = new long[ForecastQuery.CycleWeeks];
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT r.reach, r.won, r.week, count(*) FROM (
                SELECT k.reach,
                       CASE WHEN c.to_status = 'won' THEN 1 ELSE 0 END AS won,
                       {_sql.WholeWeeks(_sql.Millis("c.at", "k.first_contact_at"))} AS week
                FROM case_activities c JOIN cases k ON k.id = c.case_id
                WHERE c.kind = 'status_changed' AND c.to_status IN ('won', 'resigned') AND c.at >= @from AND c.at < @to{scope}
            ) r
            GROUP BY r.reach, r.won, r.week
            """,
            reader =>
            {
                var reach = (int)ReportSql.Long(reader, 0);
                var won = ReportSql.Long(reader, 1) == 1;
                var week = (int)Math.Clamp(ReportSql.Long(reader, 2), 0, ForecastQuery.CycleWeeks - 1);
                var count = ReportSql.Long(reader, 3);
                for (var stage = 0; stage <= Math.Min(reach, 2); stage++)
                {
                    var status = StageProbabilities.OpenStages[stage];
                    closedReached[status] = closedReached.GetValueOrDefault(status) + count;
                    if (won)
                    {
                        wonReached[status] = wonReached.GetValueOrDefault(status) + count;
                    }
                }

                cycleClosed[week] += count;
                if (won)
                {
                    cycleWon[week] += count;
                }
            },
            cancellationToken);

        var asOfDate = DateOnly.FromDateTime(query.AsOf.UtcDateTime);
        var pipeline = new List<OpenCases>();
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT k.campaign_id, k.status, k.expected_close_date, count(*) FROM cases k
            WHERE k.status IN ('new', 'in_acquisition', 'offered'){scope}
            GROUP BY k.campaign_id, k.status, k.expected_close_date
            """,
            reader =>
            {
                int? week = dialect.GetDateOrNull(reader, 2) is { } close
                    ? (int)Math.Floor((close.DayNumber - asOfDate.DayNumber) / 7.0)
                    : null;
                pipeline.Add(new OpenCases(reader.GetInt64(0), StoredJson.ParseStatus(reader.GetString(1)), week, ReportSql.Long(reader, 3)));
            },
            cancellationToken);

        // New cases start their cycle now; the others are as old as their first contact.
        var ages = new Dictionary<(long Campaign, int Week), long>();
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT a.campaign_id, a.week, count(*) FROM (
                SELECT k.campaign_id,
                       COALESCE({_sql.WholeWeeks(_sql.Millis("@asof", "k.first_contact_at"))}, 0) AS week
                FROM cases k WHERE k.status IN ('in_acquisition', 'offered'){scope}
                UNION ALL
                SELECT k.campaign_id, 0 FROM cases k WHERE k.status = 'new'{scope}
            ) a
            GROUP BY a.campaign_id, a.week
            """,
            reader =>
            {
                // A first contact after the as-of moment (a forecast as of the past) counts as not yet contacted.
                var key = (reader.GetInt64(0), (int)Math.Max(0, ReportSql.Long(reader, 1)));
                ages[key] = ages.GetValueOrDefault(key) + ReportSql.Long(reader, 2);
            },
            cancellationToken,
            command => dialect.AddInstant(command, "@asof", query.AsOf));

        var recent = new List<WeeklyWins>();
        await ReadAsync(
            connection,
            filter,
            $"""
            SELECT w.campaign_id, w.week, count(*) FROM (
                SELECT k.campaign_id, {_sql.WholeWeeks(_sql.Millis("m.at", "@recent"))} AS week
                FROM case_activities m JOIN cases k ON k.id = m.case_id
                WHERE m.kind = 'status_changed' AND m.to_status = 'won' AND m.at >= @recent AND m.at < @to{scope}
            ) w
            GROUP BY w.campaign_id, w.week
            """,
            reader => recent.Add(new WeeklyWins(reader.GetInt64(0), (int)ReportSql.Long(reader, 1) - ForecastQuery.RecentWeeks, ReportSql.Long(reader, 2))),
            cancellationToken,
            command => dialect.AddInstant(command, "@recent", recentFrom));

        var values = (await new CampaignStore(dialect).ListAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.Settings.DealValue);
        return new ForecastInputs(
            query.AsOf,
            query.Weeks,
            new StageHistory(closedReached, wonReached),
            pipeline,
            new CycleHistory(cycleWon, cycleClosed),
            ages.Select(a => new OpenAges(a.Key.Campaign, a.Key.Week, a.Value)).OrderBy(a => a.CampaignId).ThenBy(a => a.AgeWeek).ToArray(),
            recent,
            ForecastQuery.RecentWeeks,
            values);
    }

    public async Task<SpendInputs> SpendAsync(ReportFilter filter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var money = filter with { AgentId = null, LeadSource = null };
        await using var connection = await dialect.OpenAsync(cancellationToken);

        // One pass over the calls of every campaign: each campaign's connected time is its agents' talk added up (exactly,
        // in decimal, rounded once as a sum in SQL would be), and an agent's talk per campaign shares its signed-in hours.
        var connectedMs = new Dictionary<long, decimal>();
        var agentTalk = new List<AgentTalk>();
        await ReadAsync(
            connection,
            money,
            $"""
            SELECT f.campaign_id, f.agent_id, COALESCE(SUM(f.talk), 0) FROM ({_sql.CallFigures(money with { CampaignId = null })}) f
            GROUP BY f.campaign_id, f.agent_id
            """,
            reader =>
            {
                var (campaignId, agentId, talk) = (reader.GetInt64(0), reader.GetInt64(1), Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture));
                connectedMs[campaignId] = connectedMs.GetValueOrDefault(campaignId) + talk;
                if (agentId != 0 && talk > 0)
                {
                    agentTalk.Add(new AgentTalk(agentId, campaignId, ReportSql.Duration(talk)));
                }
            },
            cancellationToken,
            command => _sql.AddWholeDays(command, money.From, money.To));
        var connected = connectedMs.ToDictionary(c => c.Key, c => ReportSql.Duration(c.Value));

        var won = new Dictionary<long, long>();
        await ReadAsync(
            connection,
            money,
            $"""
            SELECT k.campaign_id, count(*) FROM {ReportSql.MovesFrom(money, needCase: true)}
            WHERE {_sql.MovesOf(money, "m.to_status = 'won'")}
            GROUP BY k.campaign_id
            """,
            reader => won[reader.GetInt64(0)] = ReportSql.Long(reader, 1),
            cancellationToken);

        var signedIn = (await StateTimesAsync(connection, filter.From, now < filter.To ? now : filter.To, null, cancellationToken))
            .GroupBy(s => s.AgentId)
            .Select(g => new AgentSignedIn(g.Key, g.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Time)))
            .ToArray();
        var campaigns = (await new CampaignStore(dialect).ListAsync(cancellationToken))
            .Where(c => money.CampaignId is null || c.Id == money.CampaignId)
            .Select(c => new CampaignCostSettings(c.Id, c.Settings.Name, c.Settings.Costs))
            .ToArray();
        var calls = campaigns
            .Select(c => new CampaignCalls(c.CampaignId, connected.GetValueOrDefault(c.CampaignId), won.GetValueOrDefault(c.CampaignId)))
            .ToArray();
        return new SpendInputs(filter.From, filter.To, campaigns, calls, agentTalk, signedIn);
    }

    public async Task<IReadOnlyList<AgentPresence>> AgentStatesAsync(
        long agentId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            "SELECT state, at, reason FROM agent_state_log WHERE agent_id = @agent AND at >= @from AND at < @to ORDER BY at DESC, id DESC LIMIT @limit");
        SqlDialect.AddLong(command, "@agent", agentId);
        dialect.AddInstant(command, "@from", from);
        dialect.AddInstant(command, "@to", to);
        SqlDialect.AddLong(command, "@limit", Math.Max(1, limit));
        await using var reader = await ExecuteAsync(command, cancellationToken);
        var states = new List<AgentPresence>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var wire = reader.GetString(0);
            states.Add(AgentStateWire.TryParse(wire, out var state)
                ? new AgentPresence(state, dialect.GetInstant(reader, 1), SqlDialect.GetTextOrNull(reader, 2))
                : throw new InvalidDataException($"agent_state_log.state '{wire}' is not an agent state."));
        }

        return states;
    }

    /// <summary>
    /// Time each agent spent in each state but offline in [<paramref name="from"/>, <paramref name="end"/>): whole UTC days
    /// from the agent_state_days rollup of the states that ended, plus the states still going clipped to those days, plus
    /// the partial first and last day from the log (see <see cref="LoggedStates"/>).
    /// </summary>
    private async Task<IReadOnlyList<(long AgentId, string State, TimeSpan Time)>> StateTimesAsync(
        DbConnection connection, DateTimeOffset from, DateTimeOffset end, long? agentId, CancellationToken cancellationToken)
    {
        var times = new List<(long, string, TimeSpan)>();
        if (end <= from)
        {
            return times;
        }

        var agentOnly = agentId is null ? "" : " AND l.agent_id = @agent";
        await using var command = dialect.Command(
            connection,
            null,
            $"""
            SELECT agent_id, state, SUM(ms) FROM (
                {LoggedStates("@from", "@firstDay", agentId)}
                UNION ALL
                {LoggedStates("@lastDay", "@end", agentId)}
                UNION ALL
                SELECT agent_state_days.agent_id, agent_state_days.state, agent_state_days.ms FROM agent_state_days
                WHERE agent_state_days.day >= @firstDay AND agent_state_days.day < @lastDay{(agentId is null ? "" : " AND agent_state_days.agent_id = @agent")}
                UNION ALL
                SELECT l.agent_id, l.state, {_sql.Millis("@lastDay", _sql.Greatest("l.at", "@firstDay"))}
                FROM {_sql.OpenStates} WHERE l.ended_at IS NULL AND l.at < @lastDay AND l.state <> 'offline'{agentOnly}
            ) times
            GROUP BY agent_id, state
            """);
        dialect.AddInstant(command, "@from", from);
        dialect.AddInstant(command, "@end", end);
        _sql.AddWholeDays(command, from, end);
        if (agentId is { } agent)
        {
            SqlDialect.AddLong(command, "@agent", agent);
        }

        await using var reader = await ExecuteAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            times.Add((reader.GetInt64(0), reader.GetString(1), ReportSql.Duration(reader, 2)));
        }

        return times;
    }

    /// <summary>
    /// Each state's time in [<paramref name="from"/>, <paramref name="end"/>) read from the log: the rows inside, plus each
    /// agent's last row before (the state it was in when the window began); a row lasts until its ended_at (the agent's
    /// next state) or, while it lasts, until the end, clipped to the window.
    /// </summary>
    private string LoggedStates(string from, string end, long? agentId)
    {
        var agentOnly = agentId is null ? "" : "AND l.agent_id = @agent";
        var agentOnlyOuter = agentId is null ? "" : "WHERE g.id = @agent";
        return $"""
            SELECT agent_id, state, {_sql.Millis(_sql.Least($"COALESCE(ended_at, {end})", end), _sql.Greatest("at", from))} AS ms
            FROM (
                SELECT l.agent_id, l.state, l.at, l.ended_at FROM agent_state_log l WHERE l.at >= {from} AND l.at < {end} {agentOnly}
                UNION ALL
                SELECT l.agent_id, l.state, l.at, l.ended_at FROM agents g JOIN agent_state_log l ON l.id = (
                    SELECT p.id FROM agent_state_log p WHERE p.agent_id = g.id AND p.at < {from} ORDER BY p.at DESC, p.id DESC LIMIT 1)
                {agentOnlyOuter}
            ) spans
            WHERE state <> 'offline'
            """;
    }

    private async Task ReadAsync(
        DbConnection connection,
        ReportFilter filter,
        string sql,
        Action<DbDataReader> read,
        CancellationToken cancellationToken,
        Action<DbCommand>? parameters = null)
    {
        await using var command = dialect.Command(connection, null, sql);
        await _sql.AddFilterAsync(connection, command, filter, cancellationToken);
        parameters?.Invoke(command);
        await using var reader = await ExecuteAsync(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            read(reader);
        }
    }

    private Task<DbDataReader> ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        Observe?.Invoke(command);
        return command.ExecuteReaderAsync(cancellationToken);
    }

    private sealed class AgentRow
    {
        public long Calls { get; set; }

        public TimeSpan Talk { get; set; }

        public TimeSpan Ready { get; set; }

        public TimeSpan OnCall { get; set; }

        public TimeSpan WrapUp { get; set; }

        public TimeSpan Break { get; set; }

        public long ToAcquisition { get; set; }

        public long ToOffered { get; set; }

        public long Won { get; set; }

        public long Resigned { get; set; }

        public long Ratings { get; set; }

        public double? AverageRating { get; set; }

        public AgentCounts ToCounts(long id, string name) =>
            new(id, name, Calls, Talk, Ready, OnCall, WrapUp, Break, ToAcquisition, ToOffered, Won, Resigned, Ratings, AverageRating);
    }
}
