using System.Data.Common;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal sealed class CampaignStore(SqlDialect dialect) : ICampaignStore
{
    private const string Columns =
        "id, name, dial_mode, calling_window_start, calling_window_end, max_attempts, hold_timeout_ms, owner_fallback_ms, "
        + "retry_no_answer_ms, retry_busy_ms, retry_voicemail_ms, retry_failed_ms, lines_per_agent, target_abandon_rate, created_at, version";

    private const string SettingsValues =
        "@name, @dial_mode, @window_start, @window_end, @max_attempts, @hold_timeout_ms, @owner_fallback_ms, "
        + "@retry_no_answer_ms, @retry_busy_ms, @retry_voicemail_ms, @retry_failed_ms, @lines_per_agent, @target_abandon_rate";

    public async Task<CampaignRecord> CreateAsync(CampaignSettings settings, CancellationToken cancellationToken)
    {
        Validate(settings);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            $"""
            INSERT INTO campaigns (name, dial_mode, calling_window_start, calling_window_end, max_attempts, hold_timeout_ms,
                owner_fallback_ms, retry_no_answer_ms, retry_busy_ms, retry_voicemail_ms, retry_failed_ms, lines_per_agent,
                target_abandon_rate, created_at, version)
            VALUES ({SettingsValues}, @at, 1)
            RETURNING {Columns}
            """);
        AddSettings(command, settings);
        dialect.AddInstant(command, "@at", DateTimeOffset.UtcNow);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader);
    }

    public async Task<CampaignRecord?> GetAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, $"SELECT {Columns} FROM campaigns WHERE id = @id");
        SqlDialect.AddLong(command, "@id", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<CampaignRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, $"SELECT {Columns} FROM campaigns ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var campaigns = new List<CampaignRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            campaigns.Add(Read(reader));
        }

        return campaigns;
    }

    public async Task<long> UpdateAsync(long campaignId, CampaignSettings settings, long expectedVersion, CancellationToken cancellationToken)
    {
        Validate(settings);
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            """
            UPDATE campaigns SET name = @name, dial_mode = @dial_mode, calling_window_start = @window_start,
                calling_window_end = @window_end, max_attempts = @max_attempts, hold_timeout_ms = @hold_timeout_ms,
                owner_fallback_ms = @owner_fallback_ms, retry_no_answer_ms = @retry_no_answer_ms, retry_busy_ms = @retry_busy_ms,
                retry_voicemail_ms = @retry_voicemail_ms, retry_failed_ms = @retry_failed_ms, lines_per_agent = @lines_per_agent,
                target_abandon_rate = @target_abandon_rate, version = version + 1
            WHERE id = @id AND version = @expected
            RETURNING version
            """);
        AddSettings(command, settings);
        SqlDialect.AddLong(command, "@id", campaignId);
        SqlDialect.AddLong(command, "@expected", expectedVersion);
        if (await command.ExecuteScalarAsync(cancellationToken) is { } version and not DBNull)
        {
            return Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var current = dialect.Command(connection, null, "SELECT version FROM campaigns WHERE id = @id");
        SqlDialect.AddLong(current, "@id", campaignId);
        var stored = await current.ExecuteScalarAsync(cancellationToken);
        throw StoreErrors.Conflict(
            $"Campaign {campaignId}",
            stored is null or DBNull ? null : Convert.ToInt64(stored, System.Globalization.CultureInfo.InvariantCulture),
            expectedVersion);
    }

    public async Task<bool> AssignAgentAsync(long campaignId, long agentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection,
            null,
            "INSERT INTO campaign_agents (campaign_id, agent_id) VALUES (@campaign, @agent) ON CONFLICT (campaign_id, agent_id) DO NOTHING");
        SqlDialect.AddLong(command, "@campaign", campaignId);
        SqlDialect.AddLong(command, "@agent", agentId);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (DbException ex) when (dialect.Violation(ex)?.Kind == ViolationKind.ForeignKey)
        {
            throw new ArgumentException($"campaignId {campaignId} / agentId {agentId}: no such campaign or agent.", ex);
        }
    }

    public async Task<bool> UnassignAgentAsync(long campaignId, long agentId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(
            connection, null, "DELETE FROM campaign_agents WHERE campaign_id = @campaign AND agent_id = @agent");
        SqlDialect.AddLong(command, "@campaign", campaignId);
        SqlDialect.AddLong(command, "@agent", agentId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task<IReadOnlyList<long>> AgentsOfAsync(long campaignId, CancellationToken cancellationToken) =>
        IdsAsync("SELECT agent_id FROM campaign_agents WHERE campaign_id = @id ORDER BY agent_id", campaignId, cancellationToken);

    public Task<IReadOnlyList<long>> CampaignsOfAgentAsync(long agentId, CancellationToken cancellationToken) =>
        IdsAsync("SELECT campaign_id FROM campaign_agents WHERE agent_id = @id ORDER BY campaign_id", agentId, cancellationToken);

    public async Task<CampaignEpoch> ClaimEpochAsync(long campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, "UPDATE campaigns SET epoch = epoch + 1 WHERE id = @id RETURNING epoch");
        SqlDialect.AddLong(command, "@id", campaignId);
        return await command.ExecuteScalarAsync(cancellationToken) is long epoch
            ? new CampaignEpoch(epoch)
            : throw new ArgumentException($"campaignId: no campaign with id {campaignId}.", nameof(campaignId));
    }

    private async Task<IReadOnlyList<long>> IdsAsync(string sql, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = dialect.Command(connection, null, sql);
        SqlDialect.AddLong(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static void Validate(CampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Campaign settings refused: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")), nameof(settings));
        }
    }

    private void AddSettings(DbCommand command, CampaignSettings settings)
    {
        SqlDialect.AddText(command, "@name", settings.Name);
        SqlDialect.AddText(command, "@dial_mode", settings.DialMode.ToWire());
        dialect.AddTimeOfDay(command, "@window_start", settings.CallingWindow.Start);
        dialect.AddTimeOfDay(command, "@window_end", settings.CallingWindow.End);
        SqlDialect.AddInt(command, "@max_attempts", settings.MaxAttempts);
        SqlDialect.AddLong(command, "@hold_timeout_ms", Milliseconds(settings.HoldTimeout));
        SqlDialect.AddLong(command, "@owner_fallback_ms", Milliseconds(settings.OwnerFallback));
        SqlDialect.AddLong(command, "@retry_no_answer_ms", Milliseconds(settings.RetryDelays.NoAnswer));
        SqlDialect.AddLong(command, "@retry_busy_ms", Milliseconds(settings.RetryDelays.Busy));
        SqlDialect.AddLong(command, "@retry_voicemail_ms", Milliseconds(settings.RetryDelays.Voicemail));
        SqlDialect.AddLong(command, "@retry_failed_ms", Milliseconds(settings.RetryDelays.Failed));
        SqlDialect.AddInt(command, "@lines_per_agent", settings.LinesPerAgent);
        SqlDialect.AddDouble(command, "@target_abandon_rate", settings.TargetAbandonRate);
    }

    // Durations are kept to the millisecond; a sub-millisecond part is rounded, never dropped silently to zero.
    private static long Milliseconds(TimeSpan value) => (long)Math.Round(value.TotalMilliseconds, MidpointRounding.AwayFromZero);

    private CampaignRecord Read(DbDataReader reader)
    {
        var dialMode = reader.GetString(2);
        var settings = new CampaignSettings
        {
            Name = reader.GetString(1),
            DialMode = DialModeWire.TryParse(dialMode, out var mode)
                ? mode
                : throw new InvalidDataException($"campaigns.dial_mode '{dialMode}' is not a dial mode."),
            CallingWindow = new CallingWindow(dialect.GetTimeOfDay(reader, 3), dialect.GetTimeOfDay(reader, 4)),
            MaxAttempts = reader.GetInt32(5),
            HoldTimeout = TimeSpan.FromMilliseconds(reader.GetInt64(6)),
            OwnerFallback = TimeSpan.FromMilliseconds(reader.GetInt64(7)),
            RetryDelays = new RetryDelays(
                TimeSpan.FromMilliseconds(reader.GetInt64(8)),
                TimeSpan.FromMilliseconds(reader.GetInt64(9)),
                TimeSpan.FromMilliseconds(reader.GetInt64(10)),
                TimeSpan.FromMilliseconds(reader.GetInt64(11))),
            LinesPerAgent = reader.GetInt32(12),
            TargetAbandonRate = reader.GetDouble(13),
        };
        return new CampaignRecord(reader.GetInt64(0), settings, reader.GetInt64(15), dialect.GetInstant(reader, 14));
    }
}
