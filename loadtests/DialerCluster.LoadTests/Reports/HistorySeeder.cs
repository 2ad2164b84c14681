namespace DialerCluster.LoadTests.Reports;

/// <summary>Writes a <see cref="SeededHistory"/> table by table (parents before children, as the foreign keys need).</summary>
internal static class HistorySeeder
{
    public static async Task<SeedCounts> SeedAsync(SeededHistory history, HistoryWriter writer, Action<string> progress, CancellationToken cancellationToken)
    {
        var start = history.Start;
        await writer.WriteAsync(
            "campaigns",
            [("id", ColumnType.Long), ("name", ColumnType.Text), ("created_at", ColumnType.Instant), ("agent_hour_cost_micros", ColumnType.Long),
             ("call_minute_cost_micros", ColumnType.Long), ("budget_micros", ColumnType.Long), ("deal_value_micros", ColumnType.Long)],
            Enumerable.Range(1, SeededHistory.Campaigns).Select(c => new object?[] { (long)c, $"Campaign {c}", start, 25_000_000L, 20_000L, 40_000_000_000L, 1_500_000_000L }),
            cancellationToken);
        await writer.WriteAsync(
            "agents",
            [("id", ColumnType.Long), ("name", ColumnType.Text), ("created_at", ColumnType.Instant)],
            Enumerable.Range(1, SeededHistory.Agents).Select(a => new object?[] { (long)a, $"Agent {a}", start }),
            cancellationToken);
        await writer.WriteAsync(
            "users",
            [("user_name", ColumnType.Text), ("name_key", ColumnType.Text), ("name_skeleton", ColumnType.Text), ("password_hash", ColumnType.Text), ("role", ColumnType.Text), ("agent_id", ColumnType.Long), ("created_at", ColumnType.Instant)],
            Enumerable.Range(1, SeededHistory.UsersUpTo).Select(a => new object?[] { $"agent{a}", $"agent{a}", $"agent{a}", "not-a-hash", "agent", (long)a, start }),
            cancellationToken);

        progress("contacts");
        await writer.WriteAsync(
            "contacts",
            [("id", ColumnType.Long), ("name", ColumnType.Text), ("primary_phone", ColumnType.Text), ("created_at", ColumnType.Instant)],
            Enumerable.Range(1, history.Cases).Select(i => new object?[] { (long)i, $"Client {i}", $"+4420{i:D8}", start }),
            cancellationToken);

        progress("cases");
        await writer.WriteAsync(
            "cases",
            [("id", ColumnType.Long), ("campaign_id", ColumnType.Long), ("contact_id", ColumnType.Long), ("status", ColumnType.Text), ("owner_agent_id", ColumnType.Long),
             ("next_contact_at", ColumnType.Instant), ("attempts", ColumnType.Int), ("acquisition_stage", ColumnType.Text), ("lead_source", ColumnType.Text),
             ("expected_close_date", ColumnType.Date), ("resignation_reason", ColumnType.Text), ("created_at", ColumnType.Instant), ("updated_at", ColumnType.Instant)],
            Cases(history).Select(c => new object?[]
            {
                c.Id, c.Campaign, c.Id, c.Status, c.Owner, c.NextContact, c.Attempts, c.LeadSource is null ? null : "Demo", c.LeadSource,
                c.ExpectedClose, c.ResignationReason, c.Created, c.Updated,
            }),
            cancellationToken);

        progress("case history");
        long activities = 0;
        await writer.WriteAsync(
            "case_activities",
            [("case_id", ColumnType.Long), ("kind", ColumnType.Text), ("at", ColumnType.Instant), ("actor", ColumnType.Text), ("outcome", ColumnType.Text), ("details", ColumnType.Json)],
            Cases(history).SelectMany(c => c.Activities.Select(a =>
            {
                activities++;
                return new object?[] { c.Id, a.Kind, a.At, a.Actor, a.Outcome, a.Details };
            })),
            cancellationToken);

        progress("calls");
        long calls = 0;
        await writer.WriteAsync(
            "calls",
            [("case_id", ColumnType.Long), ("campaign_id", ColumnType.Long), ("agent_id", ColumnType.Long), ("phone", ColumnType.Text), ("started_at", ColumnType.Instant),
             ("answered_at", ColumnType.Instant), ("ended_at", ColumnType.Instant), ("outcome", ColumnType.Text), ("abandoned", ColumnType.Bool)],
            Cases(history).SelectMany(c => c.Calls.Select(call =>
            {
                calls++;
                return new object?[] { c.Id, c.Campaign, call.Agent, $"+4420{c.Id:D8}", call.Started, call.Answered, call.Ended, call.Outcome, false };
            })),
            cancellationToken);

        progress("agent state log");
        long states = 0;
        await writer.WriteAsync(
            "agent_state_log",
            [("agent_id", ColumnType.Long), ("state", ColumnType.Text), ("reason", ColumnType.Text), ("at", ColumnType.Instant), ("ended_at", ColumnType.Instant)],
            history.States().Select(s =>
            {
                states++;
                return new object?[] { s.Agent, s.State, s.Reason, s.At, s.EndedAt };
            }),
            cancellationToken);

        progress("statistics");
        await writer.FinishAsync(cancellationToken);
        return new SeedCounts(history.Cases, activities, calls, states);
    }

    private static IEnumerable<SeededCase> Cases(SeededHistory history)
    {
        for (long id = 1; id <= history.Cases; id++)
        {
            yield return history.Case(id);
        }
    }
}

internal sealed record SeedCounts(long Cases, long Activities, long Calls, long States);
