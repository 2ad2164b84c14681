using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

/// <summary>
/// Cases: the queue rebuild, bulk creation, version-checked saves, and holds/releases through one
/// <see cref="CaseWriteQueue"/> (group commit). Disposing drains the queue: queued writes are still committed.
/// </summary>
internal sealed class CaseStore : ICaseStore, IAsyncDisposable, IDisposable
{
    public const int MaxPageSize = 1000;

    private const string Terminal = "('won', 'resigned')";

    private const string RoutingSelect =
        """
        SELECT k.id, c.primary_phone, c.time_zone, k.created_at, k.status, k.priority, k.owner_agent_id, k.next_contact_at,
               k.next_attempt_at, k.attempts, k.holder_agent_id, k.held_at
        FROM cases k JOIN contacts c ON c.id = k.contact_id
        """;

    private const string SummarySelect =
        """
        SELECT k.id, k.campaign_id, k.contact_id, c.name, c.primary_phone, k.status, k.priority, k.owner_agent_id,
               k.next_contact_at, k.attempts, k.holder_agent_id, k.updated_at, k.version
        FROM cases k JOIN contacts c ON c.id = k.contact_id
        """;

    private readonly SqlDialect _dialect;
    private readonly CaseWriteQueue _writes;
    private readonly DialerMetrics? _metrics;

    public CaseStore(SqlDialect dialect, ICaseWriteCommitter committer, DialerMetrics? metrics = null)
    {
        _dialect = dialect;
        _writes = new CaseWriteQueue(committer);
        _metrics = metrics;
    }

    public async IAsyncEnumerable<CaseRouting> OpenCasesAsync(long campaignId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = _dialect.Command(
            connection, null, $"{RoutingSelect} WHERE k.campaign_id = @campaign AND k.status NOT IN {Terminal} ORDER BY k.id");
        SqlDialect.AddLong(command, "@campaign", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new CaseRouting(
                reader.GetInt64(0),
                reader.GetString(1),
                SqlDialect.GetTextOrNull(reader, 2),
                _dialect.GetInstant(reader, 3),
                StoredJson.ParseStatus(reader.GetString(4)),
                (CasePriority)reader.GetInt32(5),
                SqlDialect.GetLongOrNull(reader, 6),
                _dialect.GetInstantOrNull(reader, 7),
                _dialect.GetInstantOrNull(reader, 8),
                reader.GetInt32(9),
                SqlDialect.GetLongOrNull(reader, 10),
                _dialect.GetInstantOrNull(reader, 11));
        }
    }

    public async Task<IReadOnlyDictionary<CaseStatus, int>> CountByStatusAsync(long campaignId, CancellationToken cancellationToken)
    {
        var counts = Enum.GetValues<CaseStatus>().ToDictionary(s => s, _ => 0);
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = _dialect.Command(
            connection, null, "SELECT status, count(*) FROM cases WHERE campaign_id = @campaign GROUP BY status");
        SqlDialect.AddLong(command, "@campaign", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[StoredJson.ParseStatus(reader.GetString(0))] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    public async Task<CasesCreated> CreateCasesAsync(
        long campaignId, IReadOnlyList<long> contactIds, CasePriority priority, long? ownerAgentId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contactIds);
        if (!Enum.IsDefined(priority))
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "priority: must be low, normal or high.");
        }

        if (contactIds.Count == 0)
        {
            return new CasesCreated([], 0);
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);

        // One statement, so all or nothing without an explicit transaction. Contacts already in the campaign
        // hit the (campaign, contact) key and are skipped; unknown ids match no contact. RETURNING only lists
        // the rows inserted, with the contact's phone and zone the queue needs.
        await using var command = _dialect.Command(
            connection,
            null,
            $"""
            INSERT INTO cases (campaign_id, contact_id, status, priority, owner_agent_id, created_at, updated_at)
            SELECT @campaign, c.id, 'new', @priority, @owner, @at, @at FROM contacts c WHERE {_dialect.InList("c.id", "@ids")}
            ON CONFLICT (campaign_id, contact_id) DO NOTHING
            RETURNING id,
                (SELECT p.primary_phone FROM contacts p WHERE p.id = cases.contact_id),
                (SELECT p.time_zone FROM contacts p WHERE p.id = cases.contact_id)
            """);
        SqlDialect.AddLong(command, "@campaign", campaignId);
        SqlDialect.AddInt(command, "@priority", (int)priority);
        SqlDialect.AddLong(command, "@owner", ownerAgentId);
        _dialect.AddInstant(command, "@at", at);
        _dialect.AddIdList(command, "@ids", contactIds);
        var createdAt = SqlDialect.ToMilliseconds(at);
        var created = new List<CaseRouting>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                created.Add(new CaseRouting(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    SqlDialect.GetTextOrNull(reader, 2),
                    createdAt,
                    CaseStatus.New,
                    priority,
                    ownerAgentId,
                    null,
                    null,
                    0,
                    null,
                    null));
            }
        }
        catch (DbException ex) when (_dialect.Violation(ex)?.Kind == ViolationKind.ForeignKey)
        {
            throw new ArgumentException(
                $"campaignId {campaignId} / ownerAgentId {ownerAgentId}: no such campaign or agent; no case was created.", nameof(campaignId), ex);
        }

        created.Sort(static (a, b) => a.CaseId.CompareTo(b.CaseId));
        return new CasesCreated(created, contactIds.Count - created.Count);
    }

    public async Task<CaseHold?> TryHoldAsync(long caseId, long agentId, DateTimeOffset at, CampaignEpoch epoch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hold = CaseWrite.Hold(caseId, agentId, at, epoch);
        using var span = DialerTracing.StoreWrite("hold", caseId);
        var queued = Stopwatch.GetTimestamp();
        var applied = await _writes.EnqueueAsync(hold);
        _metrics?.HoldCommitted(Stopwatch.GetElapsedTime(queued));
        span?.SetTag("dialer.outcome", applied ? "held" : "refused");
        return applied ? hold.Held : null;
    }

    public Task<bool> ReleaseAsync(CaseRelease release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.Attempts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(release), release.Attempts, "attempts: must not be negative.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        var written = _writes.EnqueueAsync(CaseWrite.Releasing(release));
        return Activity.Current is null ? written : TracedAsync(written, release.CaseId);
    }

    /// <summary>An async method of its own: the span it makes current never leaks into the caller's next write.</summary>
    private static async Task<bool> TracedAsync(Task<bool> written, long caseId)
    {
        using var span = DialerTracing.StoreWrite("release", caseId);
        var applied = await written;
        span?.SetTag("dialer.outcome", applied ? "released" : "refused");
        return applied;
    }

    public async Task<CaseRecord?> GetAsync(long caseId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = _dialect.Command(connection, null, $"SELECT {StoredRows.CaseColumns} FROM cases WHERE id = @id");
        SqlDialect.AddLong(command, "@id", caseId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return StoredRows.Case(reader, _dialect);
    }

    public async Task<long> SaveAsync(CaseChange change, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(change.Form);
        if (!Enum.IsDefined(change.Status))
        {
            throw new ArgumentOutOfRangeException(nameof(change), change.Status, "status: not a funnel status.");
        }

        if (!Enum.IsDefined(change.Priority))
        {
            throw new ArgumentOutOfRangeException(nameof(change), change.Priority, "priority: must be low, normal or high.");
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken);
        long version;
        await using (var update = _dialect.Command(
            connection,
            transaction,
            """
            UPDATE cases SET status = @status, priority = @priority, owner_agent_id = @owner, next_contact_at = @next_contact,
                acquisition_stage = @acquisition_stage, lead_source = @lead_source, expected_close_date = @close_date,
                contract_stage = @contract_stage, resignation_reason = @resignation_reason, note = @note,
                updated_at = @at, version = version + 1
            WHERE id = @id AND version = @expected
            RETURNING version
            """))
        {
            var form = change.Form;
            SqlDialect.AddText(update, "@status", change.Status.ToWire());
            SqlDialect.AddInt(update, "@priority", (int)change.Priority);
            SqlDialect.AddLong(update, "@owner", change.OwnerAgentId);
            _dialect.AddInstant(update, "@next_contact", form.NextContactAt);
            SqlDialect.AddText(update, "@acquisition_stage", form.AcquisitionStage);
            SqlDialect.AddText(update, "@lead_source", form.LeadSource);
            _dialect.AddDate(update, "@close_date", form.ExpectedCloseDate);
            SqlDialect.AddText(update, "@contract_stage", form.ContractStage);
            SqlDialect.AddText(update, "@resignation_reason", form.ResignationReason);
            SqlDialect.AddText(update, "@note", form.Note);
            _dialect.AddInstant(update, "@at", change.At);
            SqlDialect.AddLong(update, "@id", change.CaseId);
            SqlDialect.AddLong(update, "@expected", expectedVersion);
            object? returned;
            try
            {
                returned = await update.ExecuteScalarAsync(cancellationToken);
            }
            catch (DbException ex) when (_dialect.Violation(ex)?.Kind == ViolationKind.ForeignKey)
            {
                throw new ArgumentException($"ownerAgentId {change.OwnerAgentId}: no such agent.", nameof(change), ex);
            }

            if (returned is null or DBNull)
            {
                await using var current = _dialect.Command(connection, transaction, "SELECT version FROM cases WHERE id = @id");
                SqlDialect.AddLong(current, "@id", change.CaseId);
                var stored = await current.ExecuteScalarAsync(cancellationToken);
                throw StoreErrors.Conflict(
                    $"Case {change.CaseId}",
                    stored is null or DBNull ? null : Convert.ToInt64(stored, CultureInfo.InvariantCulture),
                    expectedVersion);
            }

            version = Convert.ToInt64(returned, CultureInfo.InvariantCulture);
        }

        foreach (var activity in change.Activities)
        {
            await InsertActivityAsync(connection, transaction, change.CaseId, activity, version, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    public async Task<IReadOnlyList<StoredActivity>> ActivitiesAsync(long caseId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = _dialect.Command(
            connection, null, "SELECT id, kind, at, actor, outcome, details, case_version FROM case_activities WHERE case_id = @case ORDER BY at, id");
        SqlDialect.AddLong(command, "@case", caseId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var activities = new List<StoredActivity>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var activity = StoredJson.ReadActivity(
                reader.GetString(1),
                _dialect.GetInstant(reader, 2),
                SqlDialect.GetTextOrNull(reader, 3),
                SqlDialect.GetTextOrNull(reader, 4),
                reader.GetString(5));
            activities.Add(new StoredActivity(reader.GetInt64(0), caseId, activity) { CaseVersion = SqlDialect.GetLongOrNull(reader, 6) });
        }

        return activities;
    }

    public async Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Page < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Page, "page: must be 1 or more.");
        }

        if (query.PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, $"pageSize: must be between 1 and {MaxPageSize}.");
        }

        var where = new StringBuilder("k.campaign_id = @campaign");
        if (query.Status is not null)
        {
            where.Append(" AND k.status = @status");
        }

        if (query.OwnerAgentId is not null)
        {
            where.Append(" AND k.owner_agent_id = @owner");
        }

        if (query.UpdatedFrom is not null)
        {
            where.Append(" AND k.updated_at >= @from");
        }

        if (query.UpdatedTo is not null)
        {
            where.Append(" AND k.updated_at < @to");
        }

        await using var connection = await _dialect.OpenAsync(cancellationToken);
        long total;
        await using (var count = _dialect.Command(connection, null, $"SELECT count(*) FROM cases k WHERE {where}"))
        {
            AddFilters(count, query);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var page = _dialect.Command(connection, null, $"{SummarySelect} WHERE {where} ORDER BY k.id LIMIT @limit OFFSET @offset");
        AddFilters(page, query);
        SqlDialect.AddLong(page, "@limit", query.PageSize);
        SqlDialect.AddLong(page, "@offset", (long)(query.Page - 1) * query.PageSize);
        return new CasePage(await SummariesAsync(page, cancellationToken), total, query.Page, query.PageSize);
    }

    public async Task<IReadOnlyList<CaseSummary>> RemindersAsync(long ownerAgentId, long? campaignId, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        await using var command = _dialect.Command(
            connection,
            null,
            $"""
            {SummarySelect}
            WHERE k.owner_agent_id = @owner AND k.next_contact_at IS NOT NULL AND k.status IN ('in_acquisition', 'offered')
            {(campaignId is null ? "" : "AND k.campaign_id = @campaign")}
            ORDER BY k.next_contact_at, k.id
            """);
        SqlDialect.AddLong(command, "@owner", ownerAgentId);
        if (campaignId is not null)
        {
            SqlDialect.AddLong(command, "@campaign", campaignId);
        }

        return await SummariesAsync(command, cancellationToken);
    }

    public ValueTask DisposeAsync() => _writes.DisposeAsync();

    /// <summary>Stops taking holds and releases; those already queued are still committed by the writer.</summary>
    public void Dispose() => _writes.Complete();

    private void AddFilters(DbCommand command, CaseQuery query)
    {
        SqlDialect.AddLong(command, "@campaign", query.CampaignId);
        if (query.Status is { } status)
        {
            SqlDialect.AddText(command, "@status", status.ToWire());
        }

        if (query.OwnerAgentId is { } owner)
        {
            SqlDialect.AddLong(command, "@owner", owner);
        }

        if (query.UpdatedFrom is { } from)
        {
            _dialect.AddInstant(command, "@from", from);
        }

        if (query.UpdatedTo is { } to)
        {
            _dialect.AddInstant(command, "@to", to);
        }
    }

    private async Task<IReadOnlyList<CaseSummary>> SummariesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var summaries = new List<CaseSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            summaries.Add(new CaseSummary(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                StoredJson.ParseStatus(reader.GetString(5)),
                (CasePriority)reader.GetInt32(6),
                SqlDialect.GetLongOrNull(reader, 7),
                _dialect.GetInstantOrNull(reader, 8),
                reader.GetInt32(9),
                SqlDialect.GetLongOrNull(reader, 10),
                _dialect.GetInstant(reader, 11),
                reader.GetInt64(12)));
        }

        return summaries;
    }

    private async Task InsertActivityAsync(
        DbConnection connection, DbTransaction transaction, long caseId, CaseActivity activity, long caseVersion, CancellationToken cancellationToken)
    {
        await using var insert = _dialect.Command(
            connection,
            transaction,
            "INSERT INTO case_activities (case_id, kind, at, actor, outcome, details, case_version) VALUES (@case, @kind, @at, @actor, @outcome, @details, @version)");
        SqlDialect.AddLong(insert, "@version", caseVersion);
        SqlDialect.AddLong(insert, "@case", caseId);
        SqlDialect.AddText(insert, "@kind", activity.Kind.ToWire());
        _dialect.AddInstant(insert, "@at", activity.At);
        SqlDialect.AddText(insert, "@actor", activity.By);
        SqlDialect.AddText(insert, "@outcome", activity.Outcome?.ToWire());
        _dialect.AddJson(insert, "@details", StoredJson.Details(activity));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
