using System.Globalization;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Pacing;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// The dialing engine of a campaign in progressive, power and predictive mode: a pacing timer (a keep-alive turn
/// every <see cref="DialerOptions.PacingInterval"/> while agents wait or calls are up, and in predictive mode while any
/// assigned agent is logged in and working) asks the <see cref="Pacer"/> how many lines to dial, takes cases from the
/// queue and dials them; call events come back as turns.
/// </summary>
/// <remarks>
/// The long poll: an agent waiting for a dialed lead has an entry in <c>_waiting</c> (a mailbox completed with the lead
/// once a call is bridged to them) and, until matched to a call, a place in <c>_waitOrder</c>. The Next case request
/// waits on the mailbox through <see cref="AwaitLeadAsync"/>, which interleaves, and collects the lead; a lead connected
/// while no request was waiting stays in the mailbox until collected.
/// </remarks>
/// <remarks>
/// Crash safety: a case is durably held BEFORE its number is dialed, by one of the campaign's dialing lines: an
/// agent record ("Dialer line {campaign}.{n}") per outstanding call. The store's one-hold-per-agent index then
/// holds for lines too, and a rebuilt queue sees the case held by the line until the hold timeout (15 min by
/// default, far past any ring), so a process that dies while a number rings never dials it again on restart; the
/// hold-timeout release puts it back afterwards, without counting an attempt that left no outcome. The calls row
/// (ended_at NULL) is also written before dialing, as the call log's evidence. When the call is answered the hold moves
/// from the line to the agent (release, then hold, both durable) before the agent hears of the lead; an activation that
/// stops between the two leaves a free case whose person is on the line, which only that open calls row shows: a
/// rebuilt queue quarantines such cases too (<see cref="QuarantineOpenCallsAsync"/>).
/// </remarks>
internal sealed partial class CampaignGrain
{
    /// <summary>FCC 47 CFR 64.1200(a)(7): an answered call with no live agent within 2 seconds is abandoned.</summary>
    public static readonly TimeSpan AbandonAfter = Pacer.AbandonAfter;

    public const string LineNamePrefix = DialerLines.NamePrefix;

    /// <summary>
    /// How long a released call waits for the carrier to confirm the cancel before it is finished as a no-answer anyway.
    /// An answer that raced the cancel is already on its way by then (a SIP CANCEL is answered within a round trip);
    /// waiting costs only the line and the hold for these seconds, the retry counts from the release.
    /// </summary>
    public static readonly TimeSpan ReleaseConfirmationWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PublishEvery = TimeSpan.FromSeconds(1);

    /// <summary>Dial ids per epoch: an activation's ids run from its epoch times this, decimal, so a log still reads them.</summary>
    private const long DialIdsPerEpoch = 10_000_000_000;

    /// <summary>How often a pacing campaign writes down what its estimators learnt (and on deactivation).</summary>
    public static readonly TimeSpan RememberPacingEvery = TimeSpan.FromSeconds(30);

    private readonly Dictionary<long, DialedCall> _dials = [];
    private readonly Dictionary<long, TaskCompletionSource<DialedLead?>> _waiting = [];
    private readonly LinkedList<long> _waitOrder = new();
    private readonly Dictionary<long, AgentPresence> _presences = [];
    private readonly Stack<DialerLine> _freeLines = new();
    private readonly Dictionary<string, DialerLine> _lines = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _recentDials = new();
    private readonly List<DialedCall> _overdialed = [];
    private readonly double[] _answerTiming = new double[PacingFeed.OutlookSteps];
    private PacingFeed? _feed;
    private IGrainTimer? _pacingTimer;
    private long _dialSequence;
    private DateTimeOffset _lastPublished;
    private DateTimeOffset _lastRemembered;

    // Why the last pacing step found no case to dial; null once it dialed one.
    private NoCaseReason? _nothingToDial;

    private DialerOptions DialerSettings => dialer ?? new DialerOptions();

    private PacingFeed Feed => _feed ??= new PacingFeed(TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(30));

    private ICampaignTurns Self => _self ??= GrainFactory.GetGrain<ICampaignTurns>(_id);

    public Task<DialMode> DialModeAsync() => Task.FromResult(Existing().Settings.DialMode);

    /// <summary>
    /// A ready agent waits for a dialed lead: their mailbox completes with the lead once a person-answered call is
    /// bridged to them and the case is durably held by them. A repeated wait keeps the open mailbox.
    /// </summary>
    public async Task<bool> WaitForLeadAsync(long agentId)
    {
        var record = Existing();
        if (!_agents.Contains(agentId))
        {
            throw new RequestRefusedException(Refusal.Forbidden, "campaignId", $"agent {agentId} is not assigned to campaign {_id}");
        }

        if (record.Settings.DialMode == DialMode.Preview)
        {
            return false;
        }

        if (gateway is null || calls is null)
        {
            throw new RequestRefusedException(
                Refusal.Conflict, "campaignId", $"campaign {_id} is in {record.Settings.DialMode.ToWire()} mode with no dialer on this node");
        }

        if (IsWaitingForLead(agentId))
        {
            return true;
        }

        // A mailbox already completed was never collected (the request that waited for it ended): the agent got its
        // lead through the agent grain meanwhile and completed it, and now waits afresh.
        _waiting[agentId] = new TaskCompletionSource<DialedLead?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waitOrder.AddLast(agentId);
        router?.EnsureSubscribed();

        // An answered call already waiting for an agent takes this one at once.
        if (OldestAwaitingAgent() is { } answered)
        {
            await ConnectAsync(answered, clock.GetUtcNow());
        }

        EnsurePacingTimer();
        return true;
    }

    public async Task<LeadPoll> AwaitLeadAsync(long agentId, TimeSpan wait)
    {
        Existing();
        if (!_waiting.TryGetValue(agentId, out var waiting))
        {
            // Not waiting here (any more): told at once, so the long poll never spins on an empty mailbox.
            return new LeadPoll(null, WhyNoLead());
        }

        if (!waiting.Task.IsCompleted && wait > TimeSpan.Zero)
        {
            // Task.WaitAsync's timer continues on this activation's scheduler: the wait holds no turn of the campaign.
            try
            {
                await waiting.Task.WaitAsync(wait);
            }
            catch (TimeoutException)
            {
                return new LeadPoll(null, null);
            }
        }

        return waiting.Task.IsCompleted ? Collect(agentId, waiting) : new LeadPoll(null, null);
    }

    public Task<LeadPoll> StopWaitingAsync(long agentId)
    {
        Existing();
        if (!_waiting.TryGetValue(agentId, out var waiting))
        {
            return Task.FromResult(new LeadPoll(null, WhyNoLead()));
        }

        _waitOrder.Remove(agentId);
        waiting.TrySetResult(null);
        return Task.FromResult(Collect(agentId, waiting));
    }

    /// <summary>Empties an agent's completed mailbox (only if it is still theirs: a new wait may have replaced it).</summary>
    private LeadPoll Collect(long agentId, TaskCompletionSource<DialedLead?> waiting)
    {
        if (_waiting.TryGetValue(agentId, out var current) && ReferenceEquals(current, waiting))
        {
            _waiting.Remove(agentId);
        }

        return waiting.Task.Result is { } lead ? new LeadPoll(lead, null) : new LeadPoll(null, WhyNoLead());
    }

    /// <summary>
    /// Why a wait ended without a lead: nothing left to dial (as the last pacing step found it, when no call rings), every
    /// line the pacer may use busy, or simply no answer yet.
    /// </summary>
    private NoCaseReason WhyNoLead()
    {
        var ringing = 0;
        foreach (var call in _dials.Values)
        {
            if (call.Phase is DialPhase.Starting or DialPhase.Dialing or DialPhase.Releasing)
            {
                ringing++;
            }
        }

        if (ringing == 0 && _nothingToDial is { } why)
        {
            return why;
        }

        return ringing >= DialerSettings.MaxLinesPerAgent * Math.Max(1, _waitOrder.Count) ? NoCaseReason.AllLinesBusy : NoCaseReason.WaitEnded;
    }

    public async Task OnCallEvent(CallEvent callEvent)
    {
        if (_record is null
            || !CallEventRouter.TryParse(callEvent.CorrelationId, out var campaignId, out var dialId)
            || campaignId != _id
            || !_dials.TryGetValue(dialId, out var call))
        {
            return;
        }

        call.GatewayCallId ??= callEvent.CallId;
        var at = callEvent.At;
        switch (callEvent)
        {
            case CallRinging ringing when call.Phase == DialPhase.Starting:
                call.Phase = DialPhase.Dialing;
                call.RingingAt = ringing.Alerting ? at : null;
                break;
            case CallRinging { Alerting: true } when call.Phase == DialPhase.Dialing && call.RingingAt is null:
                // Routed first (SIP 100), ringing now: the 15 s before a release may start only here.
                call.RingingAt = at;
                break;
            case CallAnswered { AnsweredBy: AnsweredBy.Human } when call.Phase == DialPhase.Releasing:
                // The person picked up before our cancel reached the carrier, and the cancel then hung up on them: no
                // agent within 2 s, so abandoned (FCC 47 CFR 64.1200(a)(7)) and quarantined like any abandon. Never
                // connected, even to an agent waiting now: the hang-up has already gone out.
                Feed.RecordPersonAnswered(at - call.DialedAt, at);
                call.AnsweredAt = at;
                await AbandonAsync(call, at);
                break;
            case CallAnswered when call.Phase == DialPhase.Releasing:
                // A machine picked up before the cancel: what a machine's answer always gets.
                Feed.RecordOtherOutcome(at - call.DialedAt);
                await HangUpAsync(call, HangUpParty.System);
                Finish(call, CallOutcome.Voicemail, at, abandoned: false);
                break;
            case CallBusy or CallNoAnswer or CallFailed or CallHungUp when call.Phase == DialPhase.Releasing:
                FinishReleased(call, at);
                break;
            case CallAnswered { AnsweredBy: AnsweredBy.Human } when call.Phase is DialPhase.Starting or DialPhase.Dialing:
                Feed.RecordPersonAnswered(at - call.DialedAt, at);
                call.AnsweredAt = at;
                call.Phase = DialPhase.AwaitingAgent;
                DialerTracing.Answered(call);
                if (_waitOrder.Count > 0)
                {
                    await ConnectAsync(call, clock.GetUtcNow());
                }

                break;
            case CallAnswered when call.Phase is DialPhase.Starting or DialPhase.Dialing:
                Feed.RecordOtherOutcome(at - call.DialedAt);
                await HangUpAsync(call, HangUpParty.System);
                Finish(call, CallOutcome.Voicemail, at, abandoned: false);
                break;
            case CallBusy when call.Phase is DialPhase.Starting or DialPhase.Dialing:
                Feed.RecordOtherOutcome(at - call.DialedAt);
                Finish(call, CallOutcome.Busy, at, abandoned: false);
                break;
            case CallNoAnswer when call.Phase is DialPhase.Starting or DialPhase.Dialing:
                Feed.RecordOtherOutcome(at - call.DialedAt);
                Finish(call, CallOutcome.NoAnswer, at, abandoned: false);
                break;
            case CallFailed when call.Phase is DialPhase.Starting or DialPhase.Dialing:
                Feed.RecordOtherOutcome(at - call.DialedAt);
                Finish(call, CallOutcome.Failed, at, abandoned: false);
                break;
            case CallHungUp when call.Phase == DialPhase.AwaitingAgent:
                // Gave up in the silence before an agent came: abandoned by any reading of the rule.
                Feed.RecordAbandoned(at);
                Finish(call, CallOutcome.Abandoned, at, abandoned: true);
                break;
            case CallHungUp when call.Phase == DialPhase.Connected:
                Feed.TalkTime.Record(at - (call.ConnectedAt ?? at));
                EndConnected(call, at);
                break;
            case CallHungUp when call.Phase is DialPhase.Starting or DialPhase.Dialing:
                Feed.RecordOtherOutcome(at - call.DialedAt);
                Finish(call, CallOutcome.Failed, at, abandoned: false);
                break;
        }

        PublishNow();
    }

    /// <summary>One pacing step: abandon answered calls about to pass 2 s, then (predictive) release over-dialed calls
    /// that have rung 15 s and dial what the pacer asks for.</summary>
    /// <remarks>
    /// A failed step is counted before it goes on to the timer, which logs it and ticks again: a campaign whose every
    /// step fails dials nothing while its agents wait, and only the count (and its alert) shows that to ops.
    /// </remarks>
    public async Task PaceAsync()
    {
        try
        {
            await PaceOnceAsync();
        }
        catch (Exception)
        {
            metrics?.PacingFailed(_id, Settings.DialMode);
            throw;
        }
    }

    private async Task PaceOnceAsync()
    {
        if (_record is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var interval = DialerSettings.PacingInterval;
        foreach (var call in _dials.Values.ToArray())
        {
            // Checked every interval: hang up at the last tick before 2 s rather than the first one after it.
            if (call.Phase == DialPhase.AwaitingAgent && now - call.AnsweredAt!.Value + interval > AbandonAfter)
            {
                await AbandonAsync(call, now);
            }
            else if (call.Phase == DialPhase.Releasing && now - call.ReleasedAt!.Value >= ReleaseConfirmationWait)
            {
                // The carrier took the hang-up but never reported the end, and no answer raced it: nobody answered. An
                // event arriving later finds no call, like any event for an ended call.
                FinishReleased(call, call.ReleasedAt.Value);
            }
        }

        if (Settings.DialMode == DialMode.Preview || gateway is null || calls is null)
        {
            ReleaseAllWaiting();
            StopPacingIfIdle(pacesAhead: false);
            return;
        }

        // Releasing does not wait for a ready agent: an over-dialed call matters most when every agent is busy.
        var release = Settings.DialMode == DialMode.Predictive && AnyRungForRelease(now);

        // Predictive dials for the agents about to finish talk or wrap-up too (issue 5): a call rings for seconds, so one
        // dialed only once an agent waits leaves that agent idle for the whole ring. The pacer's risk accounting keeps
        // answers that would find no agent within 2 s under the target; progressive and power dial per waiting agent.
        // Scanned once per tick: the answer is the same for the dial and the idle check (a turn does not interleave).
        var ahead = PacesAhead();
        var dial = _waitOrder.Count > 0 || ahead;
        if (dial || release)
        {
            await DialAsync(now, dial, release);
        }

        StopPacingIfIdle(ahead);
        if (now - _lastPublished >= PublishEvery)
        {
            PublishNow();
        }

        if (now - _lastRemembered >= RememberPacingEvery)
        {
            await RememberPacingAsync(now);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_feed is not null)
        {
            await RememberPacingAsync(clock.GetUtcNow());
        }
    }

    /// <summary>
    /// Writes the pacing estimators and abandon window to the grain's state, so a restarted or moved campaign paces on
    /// what it learnt. A refused write means another activation of this campaign wrote since: this one is stale, and
    /// goes, rather than overwrite what the newer one knows.
    /// </summary>
    private async Task RememberPacingAsync(DateTimeOffset now)
    {
        _lastRemembered = now;
        memory.State.Pacing = Feed.Remember();
        try
        {
            await memory.WriteStateAsync();
        }
        catch (InconsistentStateException ex)
        {
            logger.LogWarning(ex, "Campaign {CampaignId}: another activation wrote its pacing state; this one deactivates", _id);
            DeactivateOnIdle();
        }
    }

    private async Task DialAsync(DateTimeOffset now, bool dial, bool release)
    {
        RequeueIfDoNotCallShrank();
        var feed = Feed;
        feed.BeginDecision();
        int loggedIn = 0;
        foreach (var agentId in _agents)
        {
            if (IsWaitingForLead(agentId))
            {
                // Waiting for a lead now: ready, whatever presence this activation last heard. A presence change is sent
                // one-way, and one sent to an activation that died with its node is lost: a stale wrap-up counted as an
                // agent about to be free, beside the same agent counted ready, made every pacing step invalid.
                loggedIn++;
                continue;
            }

            if (!_presences.TryGetValue(agentId, out var presence) || presence.State.IsAway())
            {
                continue;
            }

            loggedIn++;
            if (presence.State == AgentState.OnCall)
            {
                feed.AddTalking(now - presence.Since);
            }
            else if (presence.State == AgentState.WrapUp)
            {
                feed.AddWrappingUp(now - presence.Since);
            }
        }

        int inFlight = 0;
        int awaiting = 0;
        foreach (var call in _dials.Values)
        {
            if (call.Phase is DialPhase.Starting or DialPhase.Dialing)
            {
                inFlight++;
                feed.AddDialing(now - call.DialedAt);
            }
            else if (call.Phase is DialPhase.AwaitingAgent or DialPhase.Connecting)
            {
                awaiting++;
            }
        }

        var ready = _waitOrder.Count;
        var policy = PacingPolicy.From(Settings) with { MaxLinesPerAgent = DialerSettings.MaxLinesPerAgent };
        var input = feed.Complete(policy, Math.Max(loggedIn, ready), ready, inFlight, awaiting, now);
        var lines = dial ? Pacer.LinesToDial(in input) : 0;
        metrics?.Paced(_id, Settings.DialMode, lines, inFlight, Math.Max(loggedIn, ready));
        if (release)
        {
            // Same input as the dial, as in the simulation: the released calls still count as in flight for this decision.
            ChooseOverdialed(in input, now);
            foreach (var call in _overdialed)
            {
                await ReleaseRingingAsync(call, now);
            }

            _overdialed.Clear();
        }

        for (var i = 0; i < lines; i++)
        {
            if (!await TryDialOneAsync(now))
            {
                break;
            }
        }
    }

    private bool AnyRungForRelease(DateTimeOffset now)
    {
        foreach (var call in _dials.Values)
        {
            if (call.Phase == DialPhase.Dialing && call.RingingAt is { } ringingAt && now - ringingAt >= Pacer.MinimumRingBeforeRelease)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The calls that have rung 15 s (FCC 47 CFR 64.1200(a)(6)), counted from the carrier's ringing event and never
    /// from the dial, and whose answer, should it still come, the pacer expects to find no agent.
    /// </summary>
    private void ChooseOverdialed(in PacingInput input, DateTimeOffset now)
    {
        _overdialed.Clear();
        foreach (var call in _dials.Values)
        {
            if (call.Phase == DialPhase.Dialing && call.RingingAt is { } ringingAt && now - ringingAt >= Pacer.MinimumRingBeforeRelease)
            {
                Feed.FillAnswerTiming(now - call.DialedAt, _answerTiming);
                if (Pacer.ShouldRelease(in input, now - ringingAt, _answerTiming))
                {
                    _overdialed.Add(call);
                }
            }
        }
    }

    /// <summary>
    /// Hangs up a ringing call. It leaves the pacer's counts at once, but its outcome waits for the carrier: a cancel
    /// confirmed makes it a no-answer; an answer that raced the cancel makes it an abandon. Decided inside this turn, so
    /// an answer event, a later turn, finds it <see cref="DialPhase.Releasing"/> and never connects it.
    /// </summary>
    private async Task ReleaseRingingAsync(DialedCall call, DateTimeOffset now)
    {
        call.Phase = DialPhase.Releasing;
        call.ReleasedAt = now;
        if (!await TryHangUpAsync(call, HangUpParty.System))
        {
            // The carrier did not take the hang-up: the call still rings, and the next pacing turn decides again.
            call.Phase = DialPhase.Dialing;
            call.ReleasedAt = null;
        }
    }

    /// <summary>A released call reached nobody: a no-answer, retried and recorded exactly like a ring-out.</summary>
    private void FinishReleased(DialedCall call, DateTimeOffset at)
    {
        // Counted as what it was for the dialer, a call that reached nobody: leaving it out would read the answer rate
        // only from calls that were not cut short, which are more often answered, and under-dial.
        Feed.RecordOtherOutcome(call.ReleasedAt!.Value - call.DialedAt);
        Finish(call, CallOutcome.NoAnswer, at, abandoned: false);
    }

    private async Task<bool> TryDialOneAsync(DateTimeOffset now)
    {
        var line = _freeLines.Count > 0 ? _freeLines.Pop() : await NewLineAsync();
        if (!_queue.TryTake(line.Key, now, _context!, out var candidate))
        {
            _nothingToDial = _queue.WhyNothing(now, _context!);
            _freeLines.Push(line);
            return false;
        }

        _nothingToDial = null;
        // A call dialed ahead may be placed before any agent of this node ever waited (which subscribed the router):
        // its events must still come back, or an answer would ring into silence.
        router?.EnsureSubscribed();
        var call = new DialedCall(++_dialSequence, candidate, line, now);
        _dials.Add(call.DialId, call);
        _recentDials.Enqueue(now);
        tracing?.Dial(call, _id, Settings.DialMode, _waitOrder.First?.Value);
        var releasing = _releasing.Remove(candidate.CaseId, out var release) && !release.IsCompleted ? release : Task.CompletedTask;
        _ = StartDialAsync(call, Task.WhenAll(releasing, line.Released));
        EnsureHoldTimer();
        return true;
    }

    /// <summary>
    /// Outside the turn: the durable hold by the line, then the calls row, then the dial. Nothing is dialed unless
    /// both writes committed; a failure comes back into the grain as a turn.
    /// </summary>
    private async Task StartDialAsync(DialedCall call, Task before)
    {
        DialerTracing.Continue(call.DialSpan);
        var self = Self;
        long? callRecordId = null;
        try
        {
            try
            {
                await before;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "An earlier release failed before dialing case {CaseId}", call.Case.CaseId);
            }

            if (await cases.TryHoldAsync(call.Case.CaseId, call.Line.AgentId, call.DialedAt, _epoch, CancellationToken.None) is null)
            {
                _ = self.DialNotStarted(call.DialId, null, held: false);
                return;
            }

            callRecordId = await calls!.StartAsync(new CallStart(call.Case.CaseId, _id, null, call.Case.Phone, call.DialedAt), CancellationToken.None);
            _ = self.DialRecorded(call.DialId, callRecordId.Value);
            var request = new OriginateRequest(
                call.Case.Phone, Settings.CallerId ?? DialerSettings.CallerId, DialerSettings.RingTimeout, CallEventRouter.CorrelationOf(_id, call.DialId));
            await gateway!.OriginateAsync(request, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Dialing case {CaseId} of campaign {CampaignId} failed", call.Case.CaseId, _id);
            _ = self.DialNotStarted(call.DialId, callRecordId, held: true);
        }
    }

    public Task DialRecorded(long dialId, long callRecordId)
    {
        if (_dials.TryGetValue(dialId, out var call))
        {
            call.CallRecordId = callRecordId;
        }

        return Task.CompletedTask;
    }

    public Task DialNotStarted(long dialId, long? callRecordId, bool held)
    {
        if (!_dials.TryGetValue(dialId, out var call) || call.Phase != DialPhase.Starting)
        {
            return Task.CompletedTask;
        }

        call.CallRecordId ??= callRecordId;
        if (held)
        {
            // Held and maybe recorded, but the carrier refused: an attempt that failed, retried per the campaign's delay.
            Finish(call, CallOutcome.Failed, clock.GetUtcNow(), abandoned: false);
        }
        else
        {
            // The store refused the line's hold (another node holds the case, or it closed): leave it alone a while.
            DialerTracing.NotDialed(call);
            _dials.Remove(dialId);
            _queue.Release(call.Line.Key, call.Case with { NextEligibleAt = clock.GetUtcNow() + TimeSpan.FromMinutes(1) });
            _freeLines.Push(call.Line);
        }

        PublishNow();
        return Task.CompletedTask;
    }

    /// <summary>Bridges an answered call to the agent waiting longest. The hold moves to the agent durably first.</summary>
    private async Task ConnectAsync(DialedCall call, DateTimeOffset now)
    {
        while (_waitOrder.First is { } first)
        {
            var agentId = first.Value;
            using var connecting = tracing?.Connect(call, _id, agentId);
            _waitOrder.RemoveFirst();

            // The mailbox stays until the agent's request collects the lead (or the agent stops waiting).
            _waiting.TryGetValue(agentId, out var waiting);
            call.Phase = DialPhase.Connecting;
            call.AgentId = agentId;
            var agentKey = AgentKey(agentId);
            var current = _queue.TryGet(call.Case.CaseId, out var known) ? known : call.Case;
            _queue.Remove(call.Case.CaseId);
            _queue.Add(current with { HolderAgentId = agentKey, HoldExpiresAt = now + Settings.HoldTimeout });

            var moved = false;
            try
            {
                moved = await cases.ReleaseAsync(
                        new CaseRelease(call.Case.CaseId, call.Line.AgentId, now, current.Attempts, current.NextEligibleAt, CaseActivity.Assigned(agentKey, now), _epoch),
                        CancellationToken.None)
                    && await cases.TryHoldAsync(call.Case.CaseId, agentId, now, _epoch, CancellationToken.None) is not null;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Handing case {CaseId} from the dialer to agent {AgentId} failed", call.Case.CaseId, agentId);
            }

            _freeLines.Push(call.Line);
            if (!moved)
            {
                // The agent cannot hold it (the store says they hold another case): the caller cannot wait.
                waiting?.TrySetResult(null);
                await AbandonAsync(call, clock.GetUtcNow());
                return;
            }

            var outcome = await gateway!.ConnectToAgentAsync(call.GatewayCallId!.Value, new AgentEndpoint(agentKey), CancellationToken.None);
            if (outcome != ConnectOutcome.Connected)
            {
                // The person hung up between answer and bridge: abandoned; the agent goes on waiting.
                _waitOrder.AddFirst(agentId);
                call.AgentId = null;
                Feed.RecordAbandoned(now);
                _ = FinishHeldBy(call, agentKey, agentId, CallOutcome.Abandoned, clock.GetUtcNow(), abandoned: true);
                return;
            }

            call.Phase = DialPhase.Connected;
            call.ConnectedAt = clock.GetUtcNow();
            metrics?.Connected(_id, Settings.DialMode, call.ConnectedAt.Value - call.AnsweredAt!.Value);
            var lead = new DialedLead(_id, call.Case.CaseId, agentId, call.CallRecordId ?? 0, call.GatewayCallId!.Value.Value, call.AnsweredAt!.Value, call.ConnectedAt.Value);

            // The agent's state follows as a one-way turn; the waiting request learns of it through the mailbox.
            _ = Agent(agentId).DialedLeadConnected(lead);
            waiting?.TrySetResult(lead);
            return;
        }
    }

    private async Task AbandonAsync(DialedCall call, DateTimeOffset now)
    {
        call.Phase = DialPhase.Ended;
        if (call.GatewayCallId is { } callId)
        {
            try
            {
                await identification!.PlayAsync(callId, _id, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The identification message on call {CallId} failed", callId);
            }
        }

        await HangUpAsync(call, HangUpParty.System);
        Feed.RecordAbandoned(now);
        Finish(call, CallOutcome.Abandoned, now, abandoned: true);
    }

    private async Task HangUpAsync(DialedCall call, HangUpParty by) => await TryHangUpAsync(call, by);

    private async Task<bool> TryHangUpAsync(DialedCall call, HangUpParty by)
    {
        if (call.GatewayCallId is not { } callId)
        {
            return false;
        }

        try
        {
            await gateway!.HangUpAsync(callId, by, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Hanging up call {CallId} failed", callId);
            return false;
        }
    }

    /// <summary>A call that never reached an agent ends: attempts + 1, retry per <see cref="RetryPolicy"/>, the line lets go.</summary>
    private void Finish(DialedCall call, CallOutcome outcome, DateTimeOffset at, bool abandoned)
    {
        if (call.AgentId is { } agentId)
        {
            FinishHeldBy(call, AgentKey(agentId), agentId, outcome, at, abandoned);
            return;
        }

        var release = FinishHeldBy(call, call.Line.Key, call.Line.AgentId, outcome, at, abandoned);
        call.Line.Released = release;
        _freeLines.Push(call.Line);
    }

    private Task<bool> FinishHeldBy(DialedCall call, string holderKey, long holderId, CallOutcome outcome, DateTimeOffset at, bool abandoned)
    {
        call.Phase = DialPhase.Ended;
        _dials.Remove(call.DialId);
        var current = _queue.TryGet(call.Case.CaseId, out var known) ? known : call.Case;
        var attempts = current.Attempts + 1;
        var decision = RetryPolicy.Next(outcome, attempts, Settings, at, followUpDecided: current.CallbackDueAt is not null || current.IsTerminal);
        var nextAttemptAt = decision.Kind == RetryDecisionKind.RetryAt ? decision.NotBefore : null;
        _queue.Release(holderKey, current with { Attempts = attempts, NextEligibleAt = nextAttemptAt });
        var release = cases.ReleaseAsync(
            new CaseRelease(call.Case.CaseId, holderId, at, attempts, nextAttemptAt, CaseActivity.CallAttempt(outcome, at, CaseActivity.System), _epoch),
            CancellationToken.None);
        Track(call.Case.CaseId, release);
        EndCallRecord(call, null, outcome, at, abandoned);
        return release;
    }

    /// <summary>
    /// The person hung up on a connected call: the call ends, the agent (who still holds the case) goes to wrap-up,
    /// with the whole hold timeout for it counted from now.
    /// </summary>
    private void EndConnected(DialedCall call, DateTimeOffset at)
    {
        call.Phase = DialPhase.Ended;
        _dials.Remove(call.DialId);
        EndCallRecord(call, call.AgentId, CallOutcome.Talked, at, abandoned: false);
        if (call.AgentId is { } agentId)
        {
            _queue.RenewHold(AgentKey(agentId), call.Case.CaseId, at + Settings.HoldTimeout);
            _ = Agent(agentId).DialedCallEnded(call.Case.CaseId, call.CallRecordId ?? 0);
        }
    }

    /// <summary>A person on the line keeps the agent's hold alive: a long sales call must not send its case back to the queue.</summary>
    private void RenewHoldsOfLiveCalls(DateTimeOffset now)
    {
        foreach (var call in _dials.Values)
        {
            if (call.Phase == DialPhase.Connected && call.AgentId is { } agentId)
            {
                _queue.RenewHold(AgentKey(agentId), call.Case.CaseId, now + Settings.HoldTimeout);
            }
        }
    }

    /// <summary>The agent completed the case while the call was still up: the agent's side hangs up.</summary>
    private void EndCallOfAgent(long agentId, DateTimeOffset at)
    {
        foreach (var call in _dials.Values)
        {
            if (call.AgentId == agentId && call.Phase == DialPhase.Connected)
            {
                Feed.TalkTime.Record(at - (call.ConnectedAt ?? at));
                call.Phase = DialPhase.Ended;
                _dials.Remove(call.DialId);
                EndCallRecord(call, agentId, CallOutcome.Talked, at, abandoned: false);
                _ = HangUpAsync(call, HangUpParty.Agent);
                return;
            }
        }
    }

    private void EndCallRecord(DialedCall call, long? agentId, CallOutcome outcome, DateTimeOffset at, bool abandoned)
    {
        metrics?.CallEnded(_id, Settings.DialMode, outcome);
        DialerTracing.CallEnded(call, outcome);
        if (call.CallRecordId is not { } callRecordId || calls is null)
        {
            return;
        }

        var end = new CallEnd(callRecordId, agentId, call.AnsweredAt, at, outcome, abandoned);
        _ = calls.EndAsync(end, CancellationToken.None).ContinueWith(
            static (t, state) => ((ILogger)state!).LogError(t.Exception, "Ending a call record failed"),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The agent's mailbox is open: they wait here for a dialed lead.</summary>
    private bool IsWaitingForLead(long agentId) => _waiting.TryGetValue(agentId, out var waiting) && !waiting.Task.IsCompleted;

    private DialedCall? OldestAwaitingAgent()
    {
        DialedCall? oldest = null;
        foreach (var call in _dials.Values)
        {
            if (call.Phase == DialPhase.AwaitingAgent && (oldest is null || call.AnsweredAt < oldest.AnsweredAt))
            {
                oldest = call;
            }
        }

        return oldest;
    }

    /// <summary>
    /// Dial ids are unique across the campaign's activations, not only within one: a replaced activation that still runs
    /// (a paused node resumed) reports its calls' events and dial turns to the campaign, and Orleans may deliver them to
    /// the new activation, where an id counted from 1 again would name one of its own calls and end or connect it.
    /// </summary>
    private static long FirstDialIdBefore(CampaignEpoch epoch) => checked(epoch.Value * DialIdsPerEpoch);

    private async Task<DialerLine> NewLineAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{LineNamePrefix}{_id}.{_lines.Count + 1}");
        var record = await agents.CreateAsync(name, CancellationToken.None);
        var line = new DialerLine(record.Id, AgentKey(record.Id));
        _lines.Add(line.Key, line);
        return line;
    }

    /// <summary>
    /// On activation: the lines of earlier runs. One still holding a case carries a call an earlier activation placed,
    /// whose outcome this one cannot know: the case is quarantined (<see cref="DialerOptions.OutcomeUnknownQuarantine"/>),
    /// and the line stays busy until the hold lapses.
    /// </summary>
    private async Task LoadLinesAsync(CancellationToken cancellationToken)
    {
        var quarantinedUntil = clock.GetUtcNow() + DialerSettings.OutcomeUnknownQuarantine;
        var unknown = 0;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{LineNamePrefix}{_id}.");
        foreach (var record in await agents.ListAsync(cancellationToken))
        {
            if (!record.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var line = new DialerLine(record.Id, AgentKey(record.Id));
            _lines.Add(line.Key, line);
            if (_queue.TryGetHeld(line.Key, out var held))
            {
                _queue.RenewHold(line.Key, held.CaseId, quarantinedUntil);
                unknown++;
            }
            else
            {
                _freeLines.Push(line);
            }
        }

        unknown += await QuarantineOpenCallsAsync(quarantinedUntil, cancellationToken);
        if (unknown > 0)
        {
            metrics?.OutcomeUnknown(_id, unknown);
            logger.LogWarning(
                "Campaign {CampaignId}: {Calls} calls of an earlier activation have an unknown outcome; their cases are not dialed before {Until}",
                _id, unknown, quarantinedUntil);
        }
    }

    /// <summary>
    /// A free case whose call was never ended: an earlier activation stopped between the writes that move an answered
    /// call's hold from its line to the agent (the line's released, the agent's not yet held), or between a release and
    /// the call's end. The person may still be on the line, so the case waits out the quarantine like a line's.
    /// </summary>
    private async Task<int> QuarantineOpenCallsAsync(DateTimeOffset quarantinedUntil, CancellationToken cancellationToken)
    {
        if (calls is null)
        {
            return 0;
        }

        var quarantined = 0;
        foreach (var caseId in await calls.CasesWithOpenCallsAsync(_id, clock.GetUtcNow() - Settings.HoldTimeout, cancellationToken))
        {
            if (_queue.HolderOf(caseId) is null && _queue.TryGet(caseId, out var open) && !(open.NextEligibleAt >= quarantinedUntil))
            {
                _queue.Update(open with { NextEligibleAt = quarantinedUntil });
                quarantined++;
            }
        }

        return quarantined;
    }

    private bool IsLine(string agentKey) => _lines.ContainsKey(agentKey);

    /// <summary>A line's hold lapsed (only after a crash left it holding): the line is free again once the release commits.</summary>
    private void LineHoldLapsed(string lineKey, Task release)
    {
        var line = _lines[lineKey];
        line.Released = release;
        _freeLines.Push(line);
    }

    private void NotePresence(long agentId, AgentPresence? presence)
    {
        if (presence is null)
        {
            _presences.Remove(agentId);
            return;
        }

        if (_presences.TryGetValue(agentId, out var before) && before.State == AgentState.WrapUp && presence.State != AgentState.WrapUp)
        {
            Feed.WrapUpTime.Record(presence.Since - before.Since);
        }

        _presences[agentId] = presence;
        if (!presence.State.IsAway() && _agents.Contains(agentId) && PacesAhead())
        {
            // An agent logging in (or back from a break) starts predictive pacing: nobody may be waiting for hours.
            EnsurePacingTimer();
        }
    }

    /// <summary>
    /// Whether this campaign paces without a waiting agent: predictive with a dialer, while an assigned agent is logged in
    /// and working (ready, on a call or in wrap-up). Mirrors the simulation, which paces all day for its logged-in agents.
    /// </summary>
    private bool PacesAhead()
    {
        if (Settings.DialMode != DialMode.Predictive || gateway is null || calls is null)
        {
            return false;
        }

        foreach (var agentId in _agents)
        {
            if (_presences.TryGetValue(agentId, out var presence) && !presence.State.IsAway())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A campaign just switched to predictive, or an agent already at work just assigned: pace for them now.</summary>
    private void StartPacingIfAhead()
    {
        if (PacesAhead())
        {
            EnsurePacingTimer();
        }
    }

    public Task<bool> IsPacingAsync() => Task.FromResult(_pacingTimer is not null);

    private void EnsurePacingTimer()
    {
        if (_pacingTimer is null && gateway is not null)
        {
            var period = DialerSettings.PacingInterval;

            // Keep-alive: answered calls must be connected or abandoned even if no request reaches the campaign. Not
            // interleaving: call events and pacing steps never overlap; only the Next case requests (queue, connected
            // calls) may run at a pacing step's awaits.
            _pacingTimer = this.RegisterGrainTimer(PaceAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
            metrics?.PacingStarted(_id, Settings.DialMode);
        }
    }

    private void StopPacingIfIdle(bool pacesAhead)
    {
        if (_waitOrder.Count == 0 && _dials.Count == 0 && !pacesAhead)
        {
            _pacingTimer?.Dispose();
            _pacingTimer = null;
            PublishNow();
        }
    }

    private void ReleaseAllWaiting()
    {
        foreach (var waiting in _waiting.Values)
        {
            waiting.TrySetResult(null);
        }

        _waiting.Clear();
        _waitOrder.Clear();
    }

    private void PublishNow()
    {
        _lastPublished = clock.GetUtcNow();
        Publish();
    }

    private CampaignDialStats? DialStats(DateTimeOffset now)
    {
        if (_feed is null || Settings.DialMode == DialMode.Preview)
        {
            return null;
        }

        while (_recentDials.TryPeek(out var oldest) && now - oldest > TimeSpan.FromMinutes(1))
        {
            _recentDials.Dequeue();
        }

        int present = 0;
        int talking = 0;
        foreach (var agentId in _agents)
        {
            if (_presences.TryGetValue(agentId, out var presence) && !presence.State.IsAway())
            {
                present++;
                if (presence.State == AgentState.OnCall)
                {
                    talking++;
                }
            }
        }

        return new CampaignDialStats(
            _recentDials.Count,
            _feed.AnswerRate.Answered == 0 ? null : _feed.AnswerRate.Observed,
            _feed.AnsweredByPerson == 0 ? null : _feed.AbandonWindow.Abandoned(now) / (double)Math.Max(1, _feed.AbandonWindow.Answered(now)),
            present == 0 ? 0 : talking / (double)present,
            _feed.AnswerRate.Rate);
    }
}
