using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One campaign: its settings, assigned agents and the in-memory queue over its open cases (rebuilt from
/// the store on activation), answering Next case for its agents.
/// </summary>
/// <remarks>
/// Throughput: the Next case and complete paths never hold the campaign's turn while the database commits.
/// <see cref="TakeNextAsync"/> and <see cref="CompleteAsync"/> interleave: each changes the in-memory queue before its
/// first await (a synchronous stretch no other request can enter), then awaits its durable write while other
/// requests run; concurrent holds and releases are group-committed by the store. One campaign therefore serves many
/// agents at memory speed while each agent still learns of its case only once the hold is durable. Every state
/// these interleaving methods touch stays consistent at each await.
/// </remarks>
internal sealed partial class CampaignGrain(
    [PersistentState(CampaignMemory.StateName)] IPersistentState<CampaignMemory> memory,
    ICampaignStore campaigns,
    ICaseStore cases,
    IAgentStore agents,
    DoNotCallRegistry doNotCall,
    LiveBoard board,
    ILogger<CampaignGrain> logger,
    [FromKeyedServices(DialerClock.Key)] TimeProvider clock,
    ITelephonyGateway? gateway = null,
    ICallStore? calls = null,
    CallEventRouter? router = null,
    IIdentificationMessage? identification = null,
    DialerOptions? dialer = null,
    DialerMetrics? metrics = null,
    DialerTracing? tracing = null) : Grain, ICampaignGrain, ICampaignTurns
{
    private static readonly TimeSpan LongestHoldCheck = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ShortestHoldCheck = TimeSpan.FromSeconds(1);

    private readonly CampaignQueue _queue = new();
    private readonly OwnerPresenceTable _owners = new();
    private readonly HashSet<long> _presenceKnown = [];
    private readonly HashSet<long> _agents = [];
    private readonly Dictionary<long, string> _agentKeys = [];
    private readonly Dictionary<long, IAgentGrain> _agentGrains = [];

    // Releases started but maybe not yet committed. A hold on the same case must commit after the release,
    // or the store would still see the old holder and refuse it.
    private readonly Dictionary<long, Task<bool>> _releasing = [];
    private long _id;
    private CampaignEpoch _epoch;
    private CampaignRecord? _record;
    private NextCaseContext? _context;
    private long _doNotCallGeneration;
    private IGrainTimer? _holdTimer;
    private ICampaignTurns? _self;

    private CampaignSettings Settings => _record!.Settings;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyLong();
        _record = await campaigns.GetAsync(_id, cancellationToken);
        if (_record is null)
        {
            // The request that activated it gets its 404 from Existing(), which then lets the activation go.
            return;
        }

        // Claimed before the queue is read: from its commit on, holds and releases of any earlier activation of this
        // campaign (a node that died or was cut off and may still run) are refused, so what is read below stays true.
        _epoch = await campaigns.ClaimEpochAsync(_id, cancellationToken);
        _dialSequence = FirstDialIdBefore(_epoch);

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
        if (memory.State.Pacing is { } learnt)
        {
            Feed.Recall(learnt);
        }

        // Pacing is re-armed on every activation: a campaign moved to this node after its node died dials on by itself.
        StartPacingIfAhead();
        if (_queue.Counts.Held > 0)
        {
            EnsureHoldTimer();
        }

        Publish();
    }

    public Task<CampaignView> ViewAsync()
    {
        var record = Existing();
        return Task.FromResult(new CampaignView(record, _queue.Counts, _agents.Order().ToArray()));
    }

    public Task<HeldCase?> HeldByAsync(long agentId)
    {
        Existing();
        HeldCase? held = _queue.TryGetHeld(AgentKey(agentId), out var candidate) ? new HeldCase(_id, candidate.CaseId) : null;
        return Task.FromResult(held);
    }

    /// <summary>
    /// Reserves the best case in memory before the first await, so no interleaved request can take it too, then
    /// awaits the durable hold. An agent already holding a case here gets the same one back.
    /// </summary>
    public async Task<CaseTake> TakeNextAsync(long agentId)
    {
        Existing();
        if (!_agents.Contains(agentId))
        {
            throw new RequestRefusedException(Refusal.Forbidden, "campaignId", $"agent {agentId} is not assigned to campaign {_id}");
        }

        if (Settings.DialMode != DialMode.Preview)
        {
            // Its agents wait for dialed leads: a case taken here would be held with nobody calling it.
            return CaseTake.Dialing;
        }

        var key = AgentKey(agentId);
        if (_queue.TryGetHeld(key, out var held))
        {
            return new CaseTake(held.CaseId, null, Repeated: true);
        }

        RequeueIfDoNotCallShrank();
        var now = clock.GetUtcNow();
        if (!_queue.TryTake(key, now, _context!, out var candidate))
        {
            return CaseTake.Nothing(_queue.WhyNothing(now, _context!));
        }

        var holding = _releasing.Remove(candidate.CaseId, out var releasing) && !releasing.IsCompleted
            ? HoldAfterAsync(releasing, candidate.CaseId, agentId, now)
            : cases.TryHoldAsync(candidate.CaseId, agentId, now, _epoch, CancellationToken.None);
        EnsureHoldTimer();
        Publish();
        try
        {
            return new CaseTake(candidate.CaseId, await holding, Repeated: false);
        }
        catch
        {
            // The hold may or may not have committed: the reservation goes, and the next activation reads the truth.
            _queue.Release(key, candidate.CaseId);
            Publish();
            throw;
        }
    }

    /// <summary>
    /// The durable hold was refused: the agent lets go of the in-memory hold and, when it read the case again, this
    /// campaign takes the stored truth into its index (closed, held by someone else, changed).
    /// </summary>
    public Task ReleaseHoldAsync(long agentId, long caseId, CaseRecord? fresh)
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
        return Task.CompletedTask;
    }

    /// <summary>
    /// Attempts + 1 and the retry time from <see cref="RetryPolicy"/>, back into the queue in memory before the first
    /// await; then the durable release, awaited while other requests run.
    /// </summary>
    public async Task<CaseCompletion?> CompleteAsync(long agentId, CallOutcome outcome)
    {
        Existing();
        var key = AgentKey(agentId);
        if (!_queue.TryGetHeld(key, out var held))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var attempts = held.Attempts + 1;
        var decision = RetryPolicy.Next(outcome, attempts, Settings, now, followUpDecided: held.CallbackDueAt is not null || held.IsTerminal);
        var nextAttemptAt = decision.Kind == RetryDecisionKind.RetryAt ? decision.NotBefore : null;
        _queue.Release(key, held with { Attempts = attempts, NextEligibleAt = nextAttemptAt });
        var release = cases.ReleaseAsync(
            new CaseRelease(held.CaseId, agentId, now, attempts, nextAttemptAt, CaseActivity.CallAttempt(outcome, now, key), _epoch),
            CancellationToken.None);
        metrics?.CaseCompleted(_id, Settings.DialMode, outcome);
        Track(held.CaseId, release);
        EndCallOfAgent(agentId, now);
        Publish();
        var completed = new CompletedCase(held.CaseId, _id, outcome, attempts, nextAttemptAt, decision.Kind);
        return new CaseCompletion(completed, await release);
    }

    /// <summary>
    /// The case grain checks and saves the change, then the queue takes the new status, callback, priority and
    /// owner. Waits for the save without interleaving: edits are rare next to Next case.
    /// </summary>
    public async Task<CaseRecord> ChangeCaseAsync(long caseId, CasePatch patch)
    {
        Existing();
        var saved = await GrainFactory.GetGrain<ICaseGrain>(caseId).ApplyAsync(patch);
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

    public Task CasesCreatedAsync(IReadOnlyList<CaseRouting> created)
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
        return Task.CompletedTask;
    }

    public async Task<bool> AssignAgentAsync(long agentId)
    {
        Existing();
        var added = await campaigns.AssignAgentAsync(_id, agentId, CancellationToken.None);
        TellAgentAssignment(agentId, assigned: true);
        if (_agents.Add(agentId) && !_presenceKnown.Contains(agentId))
        {
            ApplyPresence(agentId, await agents.LastStateAsync(agentId, CancellationToken.None));
        }

        StartPacingIfAhead();
        Publish();
        return added;
    }

    public async Task<bool> UnassignAgentAsync(long agentId)
    {
        Existing();
        var removed = await campaigns.UnassignAgentAsync(_id, agentId, CancellationToken.None);
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
    private void TellAgentAssignment(long agentId, bool assigned) => _ = Agent(agentId).CampaignAssignmentChanged(_id, assigned);

    public async Task<CampaignRecord> ChangeSettingsAsync(CampaignSettings settings, long expectedVersion)
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
            version = await campaigns.UpdateAsync(_id, settings, expectedVersion, CancellationToken.None);
        }
        catch (InconsistentStateException)
        {
            _record = await campaigns.GetAsync(_id, CancellationToken.None) ?? record;
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

    public Task PresenceChanged(long agentId, AgentPresence? presence)
    {
        if (_record is not null)
        {
            ApplyPresence(agentId, presence);
        }

        return Task.CompletedTask;
    }

    /// <summary>Holds not completed within the hold timeout go back to the queue; run by the hold timer.</summary>
    public Task ExpireHoldsAsync()
    {
        if (_record is null)
        {
            return Task.CompletedTask;
        }

        var now = clock.GetUtcNow();
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
                    CaseActivity.Released(lapsed.AgentId, now, HoldEnd.HoldTimeout), _epoch),
                CancellationToken.None);
            Track(lapsed.CaseId, release);
            if (IsLine(lapsed.AgentId))
            {
                LineHoldLapsed(lapsed.AgentId, release);
                continue;
            }

            // Upward news is one-way: the agent learns its hold is gone without this turn waiting on it.
            _ = Agent(agentId).HoldLapsed(_id, lapsed.CaseId);
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

    private CampaignRecord Existing()
    {
        if (_record is null)
        {
            DeactivateOnIdle();
            throw RequestRefusedException.NotFound("campaignId", "campaign", _id);
        }

        return _record;
    }

    private void EnsureHoldTimer()
    {
        if (_holdTimer is not null)
        {
            return;
        }

        // Keep-alive while anything is held: a lapsed hold must come back even if nobody calls the campaign.
        var period = Settings.HoldTimeout / 10;
        period = period < ShortestHoldCheck ? ShortestHoldCheck : period > LongestHoldCheck ? LongestHoldCheck : period;
        _holdTimer = this.RegisterGrainTimer(ExpireHoldsAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
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

        return await cases.TryHoldAsync(caseId, agentId, at, _epoch, CancellationToken.None);
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
            _ = GrainFactory.GetGrain<ICampaignGrain>(_id).PresenceChanged(agentId, presence);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reading the presence of agent {AgentId} failed", agentId);
        }
    }

    private void Publish()
    {
        var now = clock.GetUtcNow();
        board.Publish(new CampaignSnapshot(_id, Settings.Name, _queue.Counts, _agents.Count, now, DialStats(now)));
    }

    private IAgentGrain Agent(long agentId)
    {
        if (!_agentGrains.TryGetValue(agentId, out var grain))
        {
            grain = GrainFactory.GetGrain<IAgentGrain>(agentId);
            _agentGrains.Add(agentId, grain);
        }

        return grain;
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
