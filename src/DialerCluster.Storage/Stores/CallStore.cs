using System.Data.Common;
using System.Globalization;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class CallStore(SqlDialect dialect) : ICallStore
{
    public async Task<long> StartAsync(CallStart call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            INSERT INTO calls (case_id, campaign_id, agent_id, phone, started_at) VALUES (@case, @campaign, @agent, @phone, @started)
            RETURNING id
            """);
        SqlDialect.AddLong(command, "@case", call.CaseId);
        SqlDialect.AddLong(command, "@campaign", call.CampaignId);
        SqlDialect.AddLong(command, "@agent", call.AgentId);
        SqlDialect.AddText(command, "@phone", call.Phone);
        dialect.AddInstant(command, "@started", call.StartedAt);
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (DbException ex) when (dialect.Violation(ex)?.Kind == ViolationKind.ForeignKey)
        {
            throw new ArgumentException(
                $"caseId {call.CaseId} / campaignId {call.CampaignId} / agentId {call.AgentId}: no such case, campaign or agent.", nameof(call), ex);
        }
    }

    public async Task EndAsync(CallEnd call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            UPDATE calls SET agent_id = COALESCE(@agent, agent_id), answered_at = @answered, ended_at = @ended,
                outcome = @outcome, abandoned = @abandoned
            WHERE id = @id
            """);
        SqlDialect.AddLong(command, "@agent", call.AgentId);
        dialect.AddInstant(command, "@answered", call.AnsweredAt);
        dialect.AddInstant(command, "@ended", call.EndedAt);
        SqlDialect.AddText(command, "@outcome", call.Outcome.ToWire());
        dialect.AddBool(command, "@abandoned", call.Abandoned);
        SqlDialect.AddLong(command, "@id", call.CallId);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new KeyNotFoundException($"callId {call.CallId}: no such call.");
        }
    }

    public async Task<(int Answered, int Abandoned)> AbandonCountsAsync(long campaignId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);

        // An abandoned call was answered by a person (no agent was free), so it counts as answered too,
        // whether or not the dialer recorded its answer time.
        await using var command = dialect.Command(
            connection,
            null,
            $"""
            SELECT COALESCE(SUM(CASE WHEN answered_at IS NOT NULL OR abandoned = {True} THEN 1 ELSE 0 END), 0),
                   COALESCE(SUM(CASE WHEN abandoned = {True} THEN 1 ELSE 0 END), 0)
            FROM calls WHERE campaign_id = @campaign AND started_at >= @since
            """);
        SqlDialect.AddLong(command, "@campaign", campaignId);
        dialect.AddInstant(command, "@since", since);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<long>> CasesWithOpenCallsAsync(long campaignId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            "SELECT DISTINCT case_id FROM calls WHERE campaign_id = @campaign AND started_at >= @since AND ended_at IS NULL");
        SqlDialect.AddLong(command, "@campaign", campaignId);
        dialect.AddInstant(command, "@since", since);
        var cases = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cases.Add(reader.GetInt64(0));
        }

        return cases;
    }

    private string True => dialect.Kind == StorageDialect.Postgres ? "true" : "1";
}
