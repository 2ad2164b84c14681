using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Runtime;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One campaign: its settings, assigned agents and the in-memory queue over its open cases (rebuilt from
/// the store on activation), answering Next case for its agents.
/// </summary>
/// <remarks>
/// Throughput: a turn of this grain never waits for the database on the Next case and complete paths. The
/// durable hold (or release) is started inside the turn and its task handed back to the agent, who awaits
/// it outside this turn; concurrent holds are group-committed by the store. One campaign therefore serves
/// many agents at memory speed while each agent still learns of its case only once the hold is durable.
/// </remarks>
public sealed partial class CampaignGrain(
    ICampaignStore campaigns,
    ICaseStore cases,
    IAgentStore agents,
    DoNotCallRegistry doNotCall,
    LiveBoard board,
    ILogger<CampaignGrain> logger,
    ITelephonyGateway? gateway = null,
    ICallStore? calls = null,
    CallEventRouter? router = null,
    IIdentificationMessage? identification = null,
    DialerOptions? dialer = null) : Grain
{
    private static readonly TimeSpan LongestHoldCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortestHoldCheck = TimeSpan.FromSeconds(1);
    private static readonly Task<CaseHold?> NoNewHold = Task.FromResult<CaseHold?>(null);

    private readonly CampaignQueue _queue = new();
    private readonly OwnerPresenceTable _owners = new();
    private readonly HashSet<long> _presenceKnown = [];
    private readonly HashSet<long> _agents = [];
    private readonly Dictionary<long, string> _agentKeys = [];

    // Releases started but maybe not yet committed. A hold on the same case must commit after the release,
    // or the store would still see the old holder and refuse it.
    private readonly Dictionary<long, Task<bool>> _releasing = [];
    private long _id;
    private CampaignRecord? _record;
    private NextCaseContext? _context;
    private long _doNotCallGeneration;
    private IDisposable? _holdTimer;

    private CampaignSettings Settings => _record!.Settings;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = GrainKeys.Parse(Key);
        _record = await campaigns.GetAsync(_id, cancellationToken);
        if (_record is null)
        {
            DeactivateOnIdle();
            return;
        }

        // Read before loading: a number leaving the list during the load then still requeues what it parked.
        _doNotCallGeneration = doNotCall.RemovalGeneration;
        var owners = new HashSet<long>();

        // Not bound to the activation timeout: a million cases take seconds (11 s measured on SQLite on a
        // busy 2-core machine), and a load cancelled half-way would only start over on the next call.
        await foreach (var routing in cases.OpenCasesAsync(_id, CancellationToken.None))
        {
            _queue.Add(ToCandidate(routing));
            if (routing.OwnerAgentId is { } owner)
            {
                owners.Add(owner);
            }
        }

        foreach (var agentId in await campaigns.AgentsOfAsync(_id, cancellationToken))
        {
            _agents.Add(agentId);
            owners.Add(agentId);
        }

        foreach (var agentId in owners)
        {
            ApplyPresence(agentId, await agents.LastStateAsync(agentId, cancellationToken));
        }

        _context = new NextCaseContext(Settings, _owners, doNotCall);
        await LoadLinesAsync(cancellationToken);
        if (_queue.Counts.Held > 0)
        {
            EnsureHoldTimer();
        }

        Publish();
    }

    public ValueTask<CampaignView> ViewAsync()
    {
        var record = Existing();
        return ValueTask.FromResult(new CampaignView(record, _queue.Counts, _agents.Order().ToArray()));
    }

    /// <summary>The case the agent holds here, if any (read-only).</summary>
    public ValueTask<HeldCase?> HeldByAsync(long agentId)
    {
        Existing();
        HeldCase? held = _queue.TryGetHeld(AgentKey(agentId), out var candidate) ? new HeldCase(_id, candidate.CaseId) : null;
        return ValueTask.FromResult(held);
    }

    /// <summary>
    /// Next case for an assigned agent: marks the best case held in memory and starts its durable hold, which
    /// the agent awaits. An agent already holding a case here gets the same one back. Null: nothing eligible.
    /// </summary>
    public ValueTask<HoldTicket?> TakeNextAsync(long agentId)
    {
        Existing();
        if (!_agents.Contains(agentId))
        {
            throw new RequestRefusedException(Refusal.Forbidden, "campaignId", $"agent {agentId} is not assigned to campaign {_id}");
        }

        var key = AgentKey(agentId);
        if (_queue.TryGetHeld(key, out var held))
        {
            return ValueTask.FromResult<HoldTicket?>(new HoldTicket(held, NoNewHold, Repeated: true));
        }

        RequeueIfDoNotCallShrank();
        var now = TimeProvider.GetUtcNow();
        if (!_queue.TryTake(key, now, _context!, out var candidate))
        {
            return ValueTask.FromResult<HoldTicket?>(null);
        }

        var hold = _releasing.Remove(candidate.CaseId, out var releasing) && !releasing.IsCompleted
            ? HoldAfterAsync(releasing, candidate.CaseId, agentId, now)
            : cases.TryHoldAsync(candidate.CaseId, agentId, now, CancellationToken.None);
        EnsureHoldTimer();
        Publish();
        return ValueTask.FromResult<HoldTicket?>(new HoldTicket(candidate, hold, Repeated: false));
    }

    /// <summary>
    /// The durable hold failed (or threw): the agent lets go of the in-memory hold and, when it read the case
    /// again, this campaign takes the stored truth into its index (closed, held by someone else, changed).
    /// </summary>
    public ValueTask ReleaseHoldAsync(long agentId, long caseId, CaseRecord? fresh)
    {
        Existing();
        _queue.Release(AgentKey(agentId), caseId);
        if (fresh is not null && _queue.TryGet(caseId, out var known))
        {
            var updated = WithRecord(known, fresh);
            if (fresh.HolderAgentId is { } other && other != agentId && !fresh.Status.IsTerminal())
            {
                _queue.Remove(caseId);
                try
                {
                    _queue.Add(updated with { HolderAgentId = AgentKey(other), HoldExpiresAt = fresh.HeldAt + Settings.HoldTimeout });
                    EnsureHoldTimer();
                }
                catch (ArgumentException)
                {
                    // Memory says that agent holds another case here: keep this one out of reach until the
                    // stored hold would have lapsed, rather than hand out a case the store says is taken.
                    _queue.Add(updated with { NextEligibleAt = fresh.HeldAt + Settings.HoldTimeout });
                }
            }
            else
            {
                _queue.Update(updated);
            }
        }

        Publish();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The agent is done with their case after a call attempt: attempts + 1, the retry time from
    /// <see cref="RetryPolicy"/>, back into the queue in memory; the durable release is started and handed
    /// back. Null when the agent holds nothing here (e.g. the hold lapsed).
    /// </summary>
    public ValueTask<ReleaseTicket?> CompleteAsync(long agentId, CallOutcome outcome)
    {
        Existing();
        var key = AgentKey(agentId);
        if (!_queue.TryGetHeld(key, out var held))
        {
            return ValueTask.FromResult<ReleaseTicket?>(null);
        }

        var now = TimeProvider.GetUtcNow();
        var attempts = held.Attempts + 1;
        var decision = RetryPolicy.Next(outcome, attempts, Settings, now, followUpDecided: held.CallbackDueAt is not null || held.IsTerminal);
        var nextAttemptAt = decision.Kind == RetryDecisionKind.RetryAt ? decision.NotBefore : null;
        _queue.Release(key, held with { Attempts = attempts, NextEligibleAt = nextAttemptAt });
        var release = cases.ReleaseAsync(
            new CaseRelease(held.CaseId, agentId, now, attempts, nextAttemptAt, CaseActivity.CallAttempt(outcome, now, key)),
            CancellationToken.None);
        Track(held.CaseId, release);
        EndCallOfAgent(agentId, now);
        Publish();
        var completed = new CompletedCase(held.CaseId, _id, outcome, attempts, nextAttemptAt, decision.Kind);
        return ValueTask.FromResult<ReleaseTicket?>(new ReleaseTicket(completed, release));
    }

    /// <summary>
    /// A case change (PATCH) goes through its campaign: the case grain checks and saves it, then the queue
    /// takes the new status, callback, priority and owner. Waits for the save: edits are rare next to Next case.
    /// </summary>
    public async ValueTask<CaseRecord> ChangeCaseAsync(long caseId, CasePatch patch, CancellationToken cancellationToken)
    {
        Existing();
        var saved = await GrainFactory.GetGrain<CaseGrain>(GrainKeys.Of(caseId))
            .CallAsync(patch, static (g, p, ct) => g.ApplyAsync(p, ct), cancellationToken);
        if (saved.CampaignId == _id && _queue.TryGet(caseId, out var known))
        {
            _queue.Update(WithRecord(known, saved));
            if (saved.OwnerAgentId is { } owner)
            {
                LearnPresenceOf(owner);
            }

            Publish();
        }

        return saved;
    }

    /// <summary>Cases just created in the store join the queue (those already loaded by activation are skipped).</summary>
    public ValueTask CasesCreatedAsync(IReadOnlyList<CaseRouting> created)
    {
        Existing();
        foreach (var routing in created)
        {
            if (!_queue.Contains(routing.CaseId))
            {
                _queue.Add(ToCandidate(routing));
                if (routing.OwnerAgentId is { } owner)
                {
                    LearnPresenceOf(owner);
                }
            }
        }

        Publish();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> AssignAgentAsync(long agentId, CancellationToken cancellationToken)
    {
        Existing();
        var added = await campaigns.AssignAgentAsync(_id, agentId, cancellationToken);
        TellAgentAssignment(agentId, assigned: true);
        if (_agents.Add(agentId) && !_presenceKnown.Contains(agentId))
        {
            ApplyPresence(agentId, await agents.LastStateAsync(agentId, cancellationToken));
        }

        StartPacingIfAhead();
        Publish();
        return added;
    }

    public async ValueTask<bool> UnassignAgentAsync(long agentId, CancellationToken cancellationToken)
    {
        Existing();
        var removed = await campaigns.UnassignAgentAsync(_id, agentId, cancellationToken);
        TellAgentAssignment(agentId, assigned: false);

        // A case the agent holds stays theirs to complete; they just get no new ones.
        _agents.Remove(agentId);
        Publish();
        return removed;
    }

    /// <summary>
    /// One-way: the agent may be waiting on this campaign inside its own turn, so waiting for it here could deadlock.
    /// The message is queued before the caller hears back, so the agent's next call finds it applied.
    /// </summary>
    private void TellAgentAssignment(long agentId, bool assigned) =>
        GrainFactory.GetGrain<AgentGrain>(AgentKey(agentId))
            .Tell((_id, assigned), static (g, a, _) => g.CampaignAssignmentChanged(a.Item1, a.Item2));

    /// <summary>Settings change, version-checked (409 when stale, 422 listing every invalid field).</summary>
    public async ValueTask<CampaignRecord> ChangeSettingsAsync(CampaignSettings settings, long expectedVersion, CancellationToken cancellationToken)
    {
        var record = Existing();
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new RequestRefusedException(Refusal.Unprocessable, errors);
        }

        long version;
        try
        {
            version = await campaigns.UpdateAsync(_id, settings, expectedVersion, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            _record = await campaigns.GetAsync(_id, cancellationToken) ?? record;
            throw new RequestRefusedException(
                Refusal.Conflict, "version", $"the campaign is at version {_record.Version}, not {expectedVersion}: reload it and try again");
        }

        _record = record with { Settings = settings, Version = version };
        _context = new NextCaseContext(settings, _owners, doNotCall);

        // Maximum attempts may have risen: parked cases are checked again when they reach the head.
        _queue.RequeueParked();
        if (_holdTimer is not null)
        {
            _holdTimer.Dispose();
            _holdTimer = null;
            EnsureHoldTimer();
        }

        StartPacingIfAhead();
        Publish();
        return _record;
    }

    /// <summary>An agent's presence changed (sent down by the agent): the owner-fallback rule needs it.</summary>
    public ValueTask PresenceChanged(long agentId, AgentPresence? presence)
    {
        if (_record is not null)
        {
            ApplyPresence(agentId, presence);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Holds not completed within the hold timeout go back to the queue; run by the hold timer.</summary>
    internal Task ExpireHoldsAsync()
    {
        if (_record is null)
        {
            return Task.CompletedTask;
        }

        var now = TimeProvider.GetUtcNow();
        RenewHoldsOfLiveCalls(now);
        foreach (var lapsed in _queue.ExpireHolds(now))
        {
            var agentId = GrainKeys.Parse(lapsed.AgentId);
            _queue.TryGet(lapsed.CaseId, out var candidate);
            var release = cases.ReleaseAsync(
                new CaseRelease(
                    lapsed.CaseId,
                    agentId,
                    now,
                    candidate?.Attempts ?? 0,
                    candidate?.NextEligibleAt,
                    CaseActivity.Released(lapsed.AgentId, now, "hold timeout")),
                CancellationToken.None);
            Track(lapsed.CaseId, release);
            if (IsLine(lapsed.AgentId))
            {
                LineHoldLapsed(lapsed.AgentId, release);
                continue;
            }

            // Upward news is one-way: the agent learns its hold is gone without this turn waiting on it.
            GrainFactory.GetGrain<AgentGrain>(lapsed.AgentId)
                .Tell((_id, lapsed.CaseId), static (g, a, _) => g.HoldLapsed(a.Item1, a.Item2));
        }

        foreach (var (caseId, release) in _releasing.ToArray())
        {
            if (release.IsCompleted)
            {
                _releasing.Remove(caseId);
            }
        }

        if (_queue.Counts.Held == 0 && _dials.Count == 0)
        {
            _holdTimer?.Dispose();
            _holdTimer = null;
        }

        Publish();
        return Task.CompletedTask;
    }

    private CampaignRecord Existing() =>
        _record ?? throw RequestRefusedException.NotFound("campaignId", "campaign", _id);

    private void EnsureHoldTimer()
    {
        if (_holdTimer is not null)
        {
            return;
        }

        // Keep-alive while anything is held: a lapsed hold must come back even if nobody calls the campaign.
        var period = Settings.HoldTimeout / 10;
        period = period < ShortestHoldCheck ? ShortestHoldCheck : period > LongestHoldCheck ? LongestHoldCheck : period;
        _holdTimer = RegisterTimer(_ => ExpireHoldsAsync(), period, period, keepAlive: true);
    }

    private async Task<CaseHold?> HoldAfterAsync(Task<bool> releasing, long caseId, long agentId, DateTimeOffset at)
    {
        try
        {
            await releasing;
        }
        catch (Exception ex)
        {
            // The release failed: the store still names the old holder, so this hold fails and is refreshed.
            logger.LogDebug(ex, "Release of case {CaseId} failed before a new hold", caseId);
        }

        return await cases.TryHoldAsync(caseId, agentId, at, CancellationToken.None);
    }

    private void Track(long caseId, Task<bool> release)
    {
        _releasing[caseId] = release;
        _ = release.ContinueWith(
            static (t, state) =>
            {
                var (log, id) = ((ILogger, long))state!;
                log.LogError(t.Exception, "Releasing case {CaseId} failed; the hold stays in the store until the next activation", id);
            },
            (logger, caseId),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void RequeueIfDoNotCallShrank()
    {
        var generation = doNotCall.RemovalGeneration;
        if (generation != _doNotCallGeneration)
        {
            _doNotCallGeneration = generation;
            _queue.RequeueParked();
        }
    }

    private void ApplyPresence(long agentId, AgentPresence? presence)
    {
        _presenceKnown.Add(agentId);
        NotePresence(agentId, presence);
        var key = AgentKey(agentId);
        if (presence is null)
        {
            // Never logged in: away for as long as we know, so their callbacks fall back to others.
            _owners.MarkAway(key, DateTimeOffset.UnixEpoch);
        }
        else if (presence.State.IsAway())
        {
            _owners.MarkAway(key, presence.Since);
        }
        else
        {
            _owners.MarkPresent(key);
        }
    }

    /// <summary>An owner this campaign has not heard of: their presence is read outside this turn and sent back in.</summary>
    private void LearnPresenceOf(long agentId)
    {
        if (_presenceKnown.Add(agentId))
        {
            _ = LoadPresenceAsync(agentId);
        }
    }

    private async Task LoadPresenceAsync(long agentId)
    {
        try
        {
            var presence = await agents.LastStateAsync(agentId, CancellationToken.None);
            GrainFactory.GetGrain<CampaignGrain>(Key).Tell((agentId, presence), static (g, a, _) => g.PresenceChanged(a.agentId, a.presence));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reading the presence of agent {AgentId} failed", agentId);
        }
    }

    private void Publish()
    {
        var now = TimeProvider.GetUtcNow();
        board.Publish(new CampaignSnapshot(_id, Settings.Name, _queue.Counts, _agents.Count, now, DialStats(now)));
    }

    private string AgentKey(long agentId)
    {
        // One string per agent, shared by every case they own: a million owned cases, a few hundred strings.
        if (!_agentKeys.TryGetValue(agentId, out var key))
        {
            key = GrainKeys.Of(agentId);
            _agentKeys.Add(agentId, key);
        }

        return key;
    }

    private CaseCandidate ToCandidate(CaseRouting routing) =>
        new(routing.CaseId, routing.Phone, ContactZones.For(routing.TimeZone, routing.Phone), routing.CreatedAt)
        {
            Status = routing.Status,
            Priority = routing.Priority,
            OwnerAgentId = routing.OwnerAgentId is { } owner ? AgentKey(owner) : null,
            CallbackDueAt = FunnelRules.CallbackDueAt(routing.Status, new CaseForm(NextContactAt: routing.NextContactAt)),
            NextEligibleAt = routing.NextAttemptAt,
            Attempts = routing.Attempts,
            HolderAgentId = routing.HolderAgentId is { } holder ? AgentKey(holder) : null,
            HoldExpiresAt = routing.HeldAt + Settings.HoldTimeout,
        };

    private CaseCandidate WithRecord(CaseCandidate known, CaseRecord record) => known with
    {
        Status = record.Status,
        Priority = record.Priority,
        OwnerAgentId = record.OwnerAgentId is { } owner ? AgentKey(owner) : null,
        CallbackDueAt = FunnelRules.CallbackDueAt(record.Status, record.Form),
        NextEligibleAt = record.NextAttemptAt,
        Attempts = record.Attempts,
    };
}
