using System.Diagnostics.CodeAnalysis;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Routing;

/// <summary>
/// The in-memory index a campaign grain keeps over its cases (up to about a million), answering Next case
/// exactly as <see cref="NextCasePolicy.PickBest"/> would, without scanning the cases.
/// </summary>
/// <remarks>
/// Not thread-safe: the campaign grain's turn-based execution is the lock. Times passed in must not go
/// backwards (one grain, one clock); callback and retry times are promoted when <c>now</c> reaches them.
/// <para>Where a case lives:</para>
/// <list type="bullet">
/// <item>pending: a callback or retry time in the future, in a heap by that time;</item>
/// <item>ready, no callback: in the general index (priority, age) and, when owned, in the owner's index;</item>
/// <item>ready, due callback: in its owner's callback index, or the unowned callback index (by due time);</item>
/// <item>held by one agent; parked (do-not-call or out of attempts, found when it reached the head); closed.</item>
/// </list>
/// Every index is split by contact time zone, so a closed zone costs one check, not one per case.
/// </remarks>
public sealed class CampaignQueue
{
    private readonly Dictionary<long, Entry> _entries = [];
    private readonly ZonedCaseSet _general = new(NextCasePolicy.ReadyOrder);
    private readonly Dictionary<string, ZonedCaseSet> _ownedReady = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZonedCaseSet> _dueCallbacksByOwner = new(StringComparer.Ordinal);
    private readonly ZonedCaseSet _dueCallbacksUnowned = new(NextCasePolicy.CallbackOrder);
    private readonly PriorityQueue<long, DateTimeOffset> _pending = new();
    private readonly Dictionary<string, long> _heldByAgent = new(StringComparer.Ordinal);
    private readonly HashSet<long> _parked = [];
    private readonly Dictionary<string, ZoneSlot> _zonesById = new(StringComparer.Ordinal);
    private readonly List<ZoneSlot> _zones = [];
    private readonly int[] _byStatus = new int[Enum.GetValues<CaseStatus>().Length];
    private DateTimeOffset _lastNow = DateTimeOffset.MinValue;
    private long _lastStamp;
    private int _ready;
    private int _pendingCount;
    private int _closed;

    private enum Place : byte
    {
        Pending,
        Ready,
        Held,
        Parked,
        Closed,
    }

    public int Count => _entries.Count;

    public CampaignQueueCounts Counts => new(
        _entries.Count,
        _ready,
        _pendingCount,
        _heldByAgent.Count,
        _parked.Count,
        _closed,
        _byStatus[(int)CaseStatus.New],
        _byStatus[(int)CaseStatus.InAcquisition],
        _byStatus[(int)CaseStatus.Offered],
        _byStatus[(int)CaseStatus.Won],
        _byStatus[(int)CaseStatus.Resigned]);

    public bool Contains(long caseId) => _entries.ContainsKey(caseId);

    /// <summary>The snapshot as last added or updated.</summary>
    public bool TryGet(long caseId, [NotNullWhen(true)] out CaseCandidate? candidate)
    {
        candidate = _entries.TryGetValue(caseId, out var entry) ? entry.Case : null;
        return candidate is not null;
    }

    /// <summary>The agent holding the case, or null.</summary>
    public string? HolderOf(long caseId) => _entries.TryGetValue(caseId, out var entry) ? entry.Holder : null;

    /// <summary>The case the agent holds, if any (an agent holds at most one).</summary>
    public bool TryGetHeld(string agentId, [NotNullWhen(true)] out CaseCandidate? candidate)
    {
        candidate = _heldByAgent.TryGetValue(agentId, out var caseId) ? _entries[caseId].Case : null;
        return candidate is not null;
    }

    /// <summary>
    /// Adds a case. A snapshot naming a holder (rebuilding after activation) is added as held by that agent
    /// until <see cref="CaseCandidate.HoldExpiresAt"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The case is already in the queue, or its holder already holds another case.</exception>
    public void Add(CaseCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (_entries.ContainsKey(candidate.CaseId))
        {
            throw new ArgumentException($"Case {candidate.CaseId} is already in the queue.", nameof(candidate));
        }

        if (candidate.HolderAgentId is { } holder && _heldByAgent.TryGetValue(holder, out var other))
        {
            throw new ArgumentException(
                $"Agent {holder} already holds case {other}; an agent holds at most one case.", nameof(candidate));
        }

        var entry = new Entry(candidate, ZoneOf(candidate.TimeZone));
        _entries.Add(candidate.CaseId, entry);
        _byStatus[(int)candidate.Status]++;
        if (candidate.HolderAgentId is { } agent)
        {
            entry.Place = Place.Held;
            entry.Holder = agent;
            entry.HoldExpiresAt = candidate.HoldExpiresAt ?? DateTimeOffset.MinValue;
            _heldByAgent.Add(agent, candidate.CaseId);
        }
        else
        {
            Settle(entry);
        }
    }

    /// <summary>
    /// Replaces a case's snapshot (status, priority, owner, callback, attempts, retry time...). A held case stays
    /// held by the same agent; its holder fields in the snapshot are ignored.
    /// </summary>
    /// <returns>False when the case is not in the queue.</returns>
    public bool Update(CaseCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (!_entries.TryGetValue(candidate.CaseId, out var entry))
        {
            return false;
        }

        Unsettle(entry);
        _byStatus[(int)entry.Case.Status]--;
        _byStatus[(int)candidate.Status]++;
        entry.Case = candidate;
        entry.Zone = ZoneOf(candidate.TimeZone);
        if (entry.Place != Place.Held)
        {
            Settle(entry);
        }

        return true;
    }

    /// <summary>Removes a case, freeing its holder if held.</summary>
    public bool Remove(long caseId)
    {
        if (!_entries.TryGetValue(caseId, out var entry))
        {
            return false;
        }

        Unsettle(entry);
        if (entry.Place == Place.Held)
        {
            _heldByAgent.Remove(entry.Holder!);
        }

        _byStatus[(int)entry.Case.Status]--;
        _entries.Remove(caseId);
        return true;
    }

    /// <summary>
    /// Next case: the best case for <paramref name="agentId"/> now (see <see cref="NextCasePolicy"/>), marked held by
    /// the agent until <c>now + HoldTimeout</c>. An agent that already holds a case gets that same case back
    /// (a repeated click or a retried request must not take a second lead). Allocates nothing in the common case.
    /// </summary>
    /// <returns>False when nothing is eligible.</returns>
    public bool TryTake(string agentId, DateTimeOffset now, NextCaseContext context, [NotNullWhen(true)] out CaseCandidate? candidate)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(context);
        if (_heldByAgent.TryGetValue(agentId, out var heldId))
        {
            candidate = _entries[heldId].Case;
            return true;
        }

        Promote(now);
        candidate = PeekBest(agentId, now, context);
        if (candidate is null)
        {
            return false;
        }

        var entry = _entries[candidate.CaseId];
        Unsettle(entry);
        entry.Place = Place.Held;
        entry.Holder = agentId;
        entry.HoldExpiresAt = now + context.Settings.HoldTimeout;
        _heldByAgent.Add(agentId, candidate.CaseId);
        return true;
    }

    /// <summary>Why <see cref="TryTake"/> found nothing at <paramref name="now"/> (ask right after it returned false).</summary>
    public NoCaseReason WhyNothing(DateTimeOffset now, NextCaseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_general.AnyInClosedZone(this, now, context) || _dueCallbacksUnowned.AnyInClosedZone(this, now, context))
        {
            return NoCaseReason.CallingHours;
        }

        // Ready, in hours, yet not taken: what is left are the due callbacks of owners who are here to take them.
        return _ready > 0 ? NoCaseReason.KeptForOwners : NoCaseReason.NothingDialable;
    }

    /// <summary>Keeps a hold alive (a long call, a slow wrap-up). False when the agent does not hold the case.</summary>
    public bool RenewHold(string agentId, long caseId, DateTimeOffset expiresAt)
    {
        if (!IsHeldBy(agentId, caseId, out var entry))
        {
            return false;
        }

        entry.HoldExpiresAt = expiresAt;
        return true;
    }

    /// <summary>
    /// The agent is done with the case: it goes back to the queue as it is. False when the agent does not hold it
    /// (e.g. the hold lapsed and another agent has it now: that agent's hold must stay).
    /// </summary>
    public bool Release(string agentId, long caseId)
    {
        if (!IsHeldBy(agentId, caseId, out var entry))
        {
            return false;
        }

        _heldByAgent.Remove(agentId);
        entry.Holder = null;
        Settle(entry);
        return true;
    }

    /// <summary>Release with the case's new snapshot (attempts, retry time, status after the call).</summary>
    public bool Release(string agentId, CaseCandidate updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (!IsHeldBy(agentId, updated.CaseId, out _))
        {
            return false;
        }

        Update(updated);
        return Release(agentId, updated.CaseId);
    }

    /// <summary>Holds not completed within the hold timeout go back to the queue. Scans holds (at most one per agent), not cases.</summary>
    public IReadOnlyList<ExpiredHold> ExpireHolds(DateTimeOffset now)
    {
        List<ExpiredHold>? expired = null;
        foreach (var (agentId, caseId) in _heldByAgent)
        {
            if (_entries[caseId].HoldExpiresAt <= now)
            {
                (expired ??= []).Add(new ExpiredHold(caseId, agentId));
            }
        }

        if (expired is null)
        {
            return [];
        }

        foreach (var hold in expired)
        {
            Release(hold.AgentId, hold.CaseId);
        }

        return expired;
    }

    /// <summary>
    /// Puts parked cases back (a number left the do-not-call list, max attempts was raised); they are checked
    /// again when they reach the head. Returns how many came back.
    /// </summary>
    public int RequeueParked()
    {
        if (_parked.Count == 0)
        {
            return 0;
        }

        var ids = _parked.ToArray();
        _parked.Clear();
        foreach (var id in ids)
        {
            Settle(_entries[id]);
        }

        return ids.Length;
    }

    /// <summary>Moves callbacks and retries whose time has come into the ready indexes. Called by <see cref="TryTake"/>.</summary>
    public void Promote(DateTimeOffset now)
    {
        if (now > _lastNow)
        {
            _lastNow = now;
        }

        while (_pending.TryPeek(out var caseId, out var wakeAt) && wakeAt <= now)
        {
            _pending.Dequeue();
            if (_entries.TryGetValue(caseId, out var entry) && entry.Place == Place.Pending && entry.WakeAt == wakeAt)
            {
                _pendingCount--;
                Index(entry);
            }
        }
    }

    internal ZoneSlot Zone(int index) => _zones[index];

    /// <summary>Whether a heap item still stands for the case as it is indexed now (see <see cref="ZonedCaseSet"/>).</summary>
    internal bool IsLive(CaseCandidate candidate, long stamp) =>
        _entries.TryGetValue(candidate.CaseId, out var entry)
        && entry.Place == Place.Ready
        && entry.Stamp == stamp;

    /// <summary>Takes a blocked case out of every index. Called while looking for the head of an index.</summary>
    internal bool ParkIfBlocked(CaseCandidate candidate, NextCaseContext context)
    {
        if (candidate.Attempts < context.Settings.MaxAttempts && !context.DoNotCall.Contains(candidate.Phone))
        {
            return false;
        }

        var entry = _entries[candidate.CaseId];
        Unsettle(entry);
        entry.Place = Place.Parked;
        _parked.Add(candidate.CaseId);
        return true;
    }

    private CaseCandidate? PeekBest(string agentId, DateTimeOffset now, NextCaseContext context)
    {
        // (a) the agent's own due callbacks, earliest due first
        if (_dueCallbacksByOwner.TryGetValue(agentId, out var own) && own.PeekBest(this, now, context) is { } ownCallback)
        {
            return ownCallback;
        }

        // (b) ready cases the agent owns
        if (_ownedReady.TryGetValue(agentId, out var owned) && owned.PeekBest(this, now, context) is { } ownedCase)
        {
            return ownedCase;
        }

        // (c) due callbacks nobody is keeping: unowned, or the owner away past the fallback.
        // Costs one presence lookup per owner with due callbacks: bounded by agents, not cases.
        var fallback = _dueCallbacksUnowned.PeekBest(this, now, context);
        foreach (var (owner, callbacks) in _dueCallbacksByOwner)
        {
            if (callbacks.Count == 0 || owner == agentId || !NextCasePolicy.IsAwayPastFallback(owner, now, context))
            {
                continue;
            }

            if (callbacks.PeekBest(this, now, context) is { } head
                && (fallback is null || NextCasePolicy.CallbackOrder.Compare(head, fallback) < 0))
            {
                fallback = head;
            }
        }

        if (fallback is not null)
        {
            return fallback;
        }

        // (d, e) priority, then oldest
        return _general.PeekBest(this, now, context);
    }

    private bool IsHeldBy(string agentId, long caseId, [NotNullWhen(true)] out Entry? entry)
    {
        entry = _heldByAgent.TryGetValue(agentId, out var held) && held == caseId ? _entries[caseId] : null;
        return entry is not null;
    }

    /// <summary>Decides where a case that is not held lives now.</summary>
    private void Settle(Entry entry)
    {
        var candidate = entry.Case;
        if (candidate.IsTerminal)
        {
            entry.Place = Place.Closed;
            _closed++;
            return;
        }

        var wakeAt = Later(candidate.CallbackDueAt, candidate.NextEligibleAt);
        if (wakeAt > _lastNow)
        {
            entry.Place = Place.Pending;
            entry.WakeAt = wakeAt.Value;
            _pending.Enqueue(candidate.CaseId, wakeAt.Value);
            _pendingCount++;
            CompactPendingIfMostlyStale();
            return;
        }

        Index(entry);
    }

    private void Index(Entry entry)
    {
        var candidate = entry.Case;
        var stamp = ++_lastStamp;
        entry.Place = Place.Ready;
        entry.Stamp = stamp;
        _ready++;
        if (candidate.CallbackDueAt is not null)
        {
            if (candidate.OwnerAgentId is { } owner)
            {
                SetFor(_dueCallbacksByOwner, owner, NextCasePolicy.CallbackOrder).Add(candidate, entry.Zone, stamp, this);
            }
            else
            {
                _dueCallbacksUnowned.Add(candidate, entry.Zone, stamp, this);
            }

            return;
        }

        _general.Add(candidate, entry.Zone, stamp, this);
        if (candidate.OwnerAgentId is { } ownerOfReady)
        {
            SetFor(_ownedReady, ownerOfReady, NextCasePolicy.ReadyOrder).Add(candidate, entry.Zone, stamp, this);
        }
    }

    /// <summary>Takes a case out of wherever it lives, except a hold (the caller decides about that).</summary>
    private void Unsettle(Entry entry)
    {
        var candidate = entry.Case;
        switch (entry.Place)
        {
            case Place.Ready:
                // Heap items go stale with the stamp and are dropped when they surface.
                _ready--;
                entry.Stamp = 0;
                if (candidate.CallbackDueAt is not null)
                {
                    if (candidate.OwnerAgentId is { } owner)
                    {
                        _dueCallbacksByOwner[owner].Remove(entry.Zone);
                    }
                    else
                    {
                        _dueCallbacksUnowned.Remove(entry.Zone);
                    }
                }
                else
                {
                    _general.Remove(entry.Zone);
                    if (candidate.OwnerAgentId is { } ownerOfReady)
                    {
                        _ownedReady[ownerOfReady].Remove(entry.Zone);
                    }
                }

                break;
            case Place.Pending:
                // The heap entry goes stale and is dropped when it surfaces (WakeAt no longer matches).
                _pendingCount--;
                entry.WakeAt = DateTimeOffset.MinValue;
                break;
            case Place.Parked:
                _parked.Remove(candidate.CaseId);
                break;
            case Place.Closed:
                _closed--;
                break;
            case Place.Held:
                break;
        }
    }

    private void CompactPendingIfMostlyStale()
    {
        if (_pending.Count <= (2 * _pendingCount) + 1024)
        {
            return;
        }

        _pending.Clear();
        foreach (var entry in _entries.Values)
        {
            if (entry.Place == Place.Pending)
            {
                _pending.Enqueue(entry.Case.CaseId, entry.WakeAt);
            }
        }
    }

    private ZoneSlot ZoneOf(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!_zonesById.TryGetValue(zone.Id, out var slot))
        {
            slot = new ZoneSlot(_zones.Count, zone);
            _zones.Add(slot);
            _zonesById.Add(zone.Id, slot);
        }

        return slot;
    }

    private static ZonedCaseSet SetFor(Dictionary<string, ZonedCaseSet> byAgent, string agentId, IComparer<CaseCandidate> order)
    {
        if (!byAgent.TryGetValue(agentId, out var set))
        {
            set = new ZonedCaseSet(order);
            byAgent.Add(agentId, set);
        }

        return set;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    private sealed class Entry(CaseCandidate candidate, ZoneSlot zone)
    {
        public CaseCandidate Case { get; set; } = candidate;

        public ZoneSlot Zone { get; set; } = zone;

        public Place Place { get; set; }

        public DateTimeOffset WakeAt { get; set; }

        /// <summary>Identifies the index items of the case's current stay in the ready indexes; 0 when not ready.</summary>
        public long Stamp { get; set; }

        public string? Holder { get; set; }

        public DateTimeOffset HoldExpiresAt { get; set; }
    }
}
