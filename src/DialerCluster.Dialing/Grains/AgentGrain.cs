using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One agent: their presence (in the grain's state, and logged for the reports) and the one case they hold. Next case
/// and complete go down to the campaign, which holds and releases durably; news comes back up one-way.
/// </summary>
/// <remarks>
/// The held case is not in the grain's state: the cases table is its one truth (the campaign's fenced hold), and a
/// second copy would cost a second write on every Next case. After a restart the campaigns tell the agent what it holds.
/// </remarks>
internal sealed class AgentGrain(
    [PersistentState(AgentMemory.StateName)] IPersistentState<AgentMemory> memory,
    IAgentStore agents,
    ICampaignStore campaigns,
    ICaseStore cases,
    LiveBoard board,
    [FromKeyedServices(DialerClock.Key)] TimeProvider clock) : Grain, IAgentGrain
{
    /// <summary>Cases tried per Next case when the store refuses holds (another node took it, it closed meanwhile).</summary>
    public const int MaxHoldAttempts = 5;

    // Campaign references are cached: Next case and complete call the same campaign over and over.
    private readonly Dictionary<long, ICampaignGrain> _campaignGrains = [];

    // Whether each campaign dials (its agents wait for dialed leads) or not (preview), as last learnt: Next case asks once
    // per activation, and the campaign's answer corrects it when its mode changed (see CaseTake.Dials).
    private readonly Dictionary<long, bool> _campaignDials = [];

    private long _id;
    private AgentRecord? _record;
    private AgentPresence _presence = AgentPresence.OfflineSince(DateTimeOffset.UnixEpoch);
    private HeldCase? _held;

    // The campaigns this agent works for, kept here so that Next case, state changes and the access check
    // do not query the store each time; the campaign grain tells this grain when an assignment changes.
    private long[] _campaigns = [];

    // The dialed call bridged to this agent for the held case (dialing modes); null in preview.
    private DialedLead? _call;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _id = this.GetPrimaryKeyLong();
        _record = await agents.GetAsync(_id, cancellationToken);
        if (_record is null)
        {
            // Not deactivated here: Orleans would send the request that activated it to a new activation. The request
            // gets its 404 from Existing(), which then lets the activation go.
            return;
        }

        // An agent from before grain state existed has only its log.
        _presence = memory.State.Presence
            ?? await agents.LastStateAsync(_id, cancellationToken)
            ?? AgentPresence.OfflineSince(_record.CreatedAt);
        _campaigns = [.. await campaigns.CampaignsOfAgentAsync(_id, cancellationToken)];
        Publish();
    }

    public Task<AgentView> ViewAsync()
    {
        var record = Existing();
        return Task.FromResult(new AgentView(_id, record.Name, _presence, _held?.CampaignId, _held?.CaseId));
    }

    public Task<IReadOnlyList<long>> CampaignsAsync()
    {
        Existing();
        return Task.FromResult<IReadOnlyList<long>>(_campaigns);
    }

    public Task CampaignAssignmentChanged(long campaignId, bool assigned)
    {
        var known = Array.IndexOf(_campaigns, campaignId) >= 0;
        if (assigned && !known)
        {
            _campaigns = [.. _campaigns, campaignId];
            Array.Sort(_campaigns);
        }
        else if (!assigned && known)
        {
            _campaigns = [.. _campaigns.Where(c => c != campaignId)];
        }

        return Task.CompletedTask;
    }

    public async Task<AgentView> SetStatusAsync(AgentState state, string? reason)
    {
        Existing();
        await EnterAsync(state, reason);
        return await ViewAsync();
    }

    public async Task<NextCaseStart> StartNextCaseAsync(long campaignId)
    {
        Existing();
        var campaign = Campaign(campaignId);
        if (!_campaignDials.TryGetValue(campaignId, out var dials))
        {
            dials = await campaign.DialModeAsync() != DialMode.Preview;
            _campaignDials[campaignId] = dials;
        }

        if (!dials)
        {
            if (await TakeCaseAsync(campaignId) is { } taken)
            {
                return taken;
            }

            // The campaign dials now: its mode changed since this activation learnt it.
            _campaignDials[campaignId] = true;
        }

        if (await StartWaitingForLeadAsync(campaign, campaignId) is { } start)
        {
            return start;
        }

        // The campaign takes cases by Next case now (preview): its mode changed since this activation learnt it.
        _campaignDials[campaignId] = false;
        return await TakeCaseAsync(campaignId)
            ?? throw new RequestRefusedException(Refusal.Conflict, "campaignId", $"campaign {campaignId} is changing its dial mode: try again");
    }

    /// <summary>Next case in a dialing mode: the lead this agent already has, or a wait for one; null in preview mode.</summary>
    private async Task<NextCaseStart?> StartWaitingForLeadAsync(ICampaignGrain campaign, long campaignId)
    {
        var held = _held ?? await FindHeldAsync();
        if (held is not null)
        {
            _held = held;
            if (held.CampaignId != campaignId)
            {
                throw HoldsElsewhere(held);
            }

            // A repeated poll (a retried request, a reload) gets the lead it was given, with the call as it stands now.
            var view = await GrainFactory.GetGrain<ICaseGrain>(held.CaseId).ViewAsync();
            return new NextCaseStart(new NextCaseOffer(view.Case, view.Contact, Repeated: true) { CallId = _call?.CallId, Call = _call }, Waiting: false);
        }

        if (_presence.State == AgentState.OnCall && _call is null)
        {
            // On a call this activation never connected, and no campaign knows a case of this agent: the call and its lead
            // went with a node (the campaign's, or this grain's earlier activation). Asking for the next lead ends it, through
            // wrap-up as after any call, so the state log keeps the usual order.
            await EnterAsync(AgentState.WrapUp, null);
        }

        if (_presence.State != AgentState.Ready)
        {
            if (!AgentStateMachine.IsAllowed(_presence.State, AgentState.Ready))
            {
                throw new RequestRefusedException(
                    Refusal.Conflict, "status", $"the agent is {_presence.State.ToWire()}; only an agent who may become ready waits for a call");
            }

            await EnterAsync(AgentState.Ready, null);
        }

        return await campaign.WaitForLeadAsync(_id) ? new NextCaseStart(null, Waiting: true) : null;
    }

    public async Task<NextCaseOffer> LeadOfferAsync(DialedLead lead)
    {
        Existing();
        ArgumentNullException.ThrowIfNull(lead);
        if (_call?.CallId != lead.CallId || _call.CaseId != lead.CaseId)
        {
            await DialedLeadConnected(lead);
        }

        var view = await GrainFactory.GetGrain<ICaseGrain>(lead.CaseId).ViewAsync();
        return new NextCaseOffer(view.Case, view.Contact, Repeated: false) { CallId = _call?.CallId, Call = _call };
    }

    public async Task DialedLeadConnected(DialedLead lead)
    {
        if (_record is null || (_call is { } known && known.CallId == lead.CallId && known.CaseId == lead.CaseId))
        {
            return;
        }

        _held = new HeldCase(lead.CampaignId, lead.CaseId);
        _call = lead;
        if (AgentStateMachine.IsAllowed(_presence.State, AgentState.OnCall))
        {
            await EnterAsync(AgentState.OnCall, null);
        }

        Publish();
    }

    public async Task DialedCallEnded(long caseId, long callId)
    {
        if (_call is not { } call || call.CaseId != caseId || call.CallId != callId)
        {
            return;
        }

        _call = call with { State = CallStates.Ended };
        if (_presence.State == AgentState.OnCall)
        {
            await EnterAsync(AgentState.WrapUp, null);
        }

        Publish();
    }

    private async Task EnterAsync(AgentState state, string? reason)
    {
        var transition = _presence.Enter(state, clock.GetUtcNow(), reason);
        if (!transition.IsAccepted)
        {
            var refusedMove = Enum.IsDefined(state) && state != _presence.State && !AgentStateMachine.IsAllowed(_presence.State, state);
            throw new RequestRefusedException(refusedMove ? Refusal.Conflict : Refusal.Unprocessable, transition.Errors);
        }

        if (!ReferenceEquals(transition.Presence, _presence))
        {
            // The grain's state first: its ETag check refuses a stale activation (Orleans then deactivates it), before the
            // move reaches the log that the reports read.
            memory.State.Presence = transition.Presence;
            try
            {
                await memory.WriteStateAsync();
            }
            catch
            {
                memory.State.Presence = _presence;
                throw;
            }

            await agents.AppendStateAsync(_id, transition.Presence, CancellationToken.None);
            _presence = transition.Presence;

            // Down to the campaigns, one-way: their owner-fallback rule and pacing need to know who is away.
            foreach (var campaignId in _campaigns)
            {
                _ = Campaign(campaignId).PresenceChanged(_id, _presence);
            }

            Publish();
        }
    }

    public async Task<NextCaseOffer?> NextCaseAsync(long campaignId) => (await TakeCaseAsync(campaignId))?.Offer;

    /// <summary>Preview Next case: the offer, durably held, or why there is none; null when the campaign dials.</summary>
    private async Task<NextCaseStart?> TakeCaseAsync(long campaignId)
    {
        Existing();
        if (!_presence.State.TakesCases())
        {
            throw new RequestRefusedException(
                Refusal.Conflict, "status", $"the agent is {_presence.State.ToWire()}; only a ready agent takes cases");
        }

        if (_held is { } elsewhere && elsewhere.CampaignId != campaignId)
        {
            throw HoldsElsewhere(elsewhere);
        }

        var campaign = Campaign(campaignId);
        for (var attempt = 0; attempt < MaxHoldAttempts; attempt++)
        {
            var take = await campaign.TakeNextAsync(_id);
            if (take.Dials)
            {
                return null;
            }

            if (take.NoCase is { } nothing)
            {
                return new NextCaseStart(null, Waiting: false, nothing);
            }

            var caseId = take.CaseId;
            if (take.Repeated)
            {
                _held = new HeldCase(campaignId, caseId);
                return Started(await OfferOfHeldAsync(caseId, repeated: true));
            }

            if (take.Hold is { } hold)
            {
                // The hold's own transaction read the case and contact: nothing to read again before answering.
                _held = new HeldCase(campaignId, caseId);
                Publish();
                return Started(new NextCaseOffer(hold.Case, hold.Contact, Repeated: false));
            }

            var fresh = await cases.GetAsync(caseId, CancellationToken.None);
            if (fresh?.HolderAgentId == _id)
            {
                // Refused because this agent already holds it in the store (a hold from before a restart).
                _held = new HeldCase(campaignId, caseId);
                return Started(await OfferOfHeldAsync(caseId, repeated: false));
            }

            await campaign.ReleaseHoldAsync(_id, caseId, fresh);
            if (fresh is { HolderAgentId: null } && !fresh.Status.IsTerminal() && await FindHeldAsync() is { } other)
            {
                // Free, open, yet refused: the store says this agent holds another case (from before a restart).
                _held = other;
                if (other.CampaignId != campaignId)
                {
                    throw HoldsElsewhere(other);
                }
            }
        }

        throw new RequestRefusedException(
            Refusal.Conflict, "campaignId", $"no case could be held after {MaxHoldAttempts} tries (others took them first): try again");
    }

    private static NextCaseStart Started(NextCaseOffer offer) => new(offer, Waiting: false);

    /// <summary>The offer for a case this agent already holds (a repeated request, a hold found after a restart).</summary>
    private async Task<NextCaseOffer> OfferOfHeldAsync(long caseId, bool repeated)
    {
        var view = await GrainFactory.GetGrain<ICaseGrain>(caseId).ViewAsync();
        Publish();
        return new NextCaseOffer(view.Case, view.Contact, repeated);
    }

    public async Task<CompletedCase> CompleteAsync(CallOutcome outcome)
    {
        Existing();
        if (!Enum.IsDefined(outcome))
        {
            throw new RequestRefusedException(Refusal.Invalid, "outcome", $"must be one of {string.Join(", ", CallOutcomeWire.All)}");
        }

        var held = _held ?? await FindHeldAsync()
            ?? throw new RequestRefusedException(Refusal.Conflict, "agentId", $"agent {_id} holds no case: take one with Next case, then complete it");
        var completion = await Campaign(held.CampaignId).CompleteAsync(_id, outcome);
        var end = default(HoldEnd);
        CaseRecord? stored = null;
        if (completion is not { Released: true })
        {
            stored = await cases.GetAsync(held.CaseId, CancellationToken.None);
            if (stored?.HolderAgentId == _id)
            {
                // The store still shows this agent holding the case, so the hold neither lapsed nor went to anyone else:
                // the answer came from a campaign activation another node took over (a paused node, resumed, runs it a
                // moment longer), whose memory or epoch is not the campaign's. Nothing was recorded; the same complete
                // tried again reaches the campaign's current activation.
                throw new RequestRefusedException(
                    Refusal.Unavailable, "campaignId", $"campaign {held.CampaignId} is moving to another node; complete case {held.CaseId} again");
            }

            end = HoldEnd.Of(await cases.ActivitiesAsync(held.CaseId, CancellationToken.None), GrainKeys.Of(_id));
        }

        _held = null;
        _call = null;

        // Completing from the desk while the line is up ends the conversation (the campaign hangs up); the
        // hang-up event then finds no call here, so the agent must leave on_call now or stay stuck in it.
        if (_presence.State == AgentState.OnCall)
        {
            await EnterAsync(AgentState.WrapUp, null);
        }

        Publish();
        return completion is { Released: true } ? completion.Completed : await RecordedBeforeAsync(held, outcome, stored, end);
    }

    /// <summary>
    /// A complete that released nothing: the same complete asked again after its first answer was lost (its node paused
    /// or died while it ran) gets what the first recorded; anything else is refused with what the history says happened.
    /// </summary>
    private async Task<CompletedCase> RecordedBeforeAsync(HeldCase held, CallOutcome outcome, CaseRecord? stored, HoldEnd end)
    {
        switch (end)
        {
            case { Kind: HoldEndKind.Completed, Activity: { Outcome: { } recorded } attempt } when recorded == outcome:
                var settings = (await campaigns.GetAsync(held.CampaignId, CancellationToken.None))?.Settings;
                if (stored is null || settings is null)
                {
                    break;
                }

                var followUpDecided = FunnelRules.CallbackDueAt(stored.Status, stored.Form) is not null || stored.Status.IsTerminal();
                var decision = RetryPolicy.Next(recorded, stored.Attempts, settings, attempt.At, followUpDecided);
                return new CompletedCase(held.CaseId, held.CampaignId, recorded, stored.Attempts, stored.NextAttemptAt, decision.Kind);
            case { Kind: HoldEndKind.Completed, Activity: { } attempt }:
                throw new RequestRefusedException(
                    Refusal.Conflict, "outcome", $"case {held.CaseId} was already completed as {attempt.Outcome?.ToWire()} at {attempt.At:O}; an attempt is recorded once");
            case { Kind: HoldEndKind.Lapsed }:
                throw new RequestRefusedException(
                    Refusal.Conflict, "agentId", $"the hold on case {held.CaseId} lapsed (hold timeout) and the case went back to the queue");
        }

        throw new RequestRefusedException(
            Refusal.Conflict, "agentId", $"the store no longer shows agent {_id} holding case {held.CaseId}; the attempt was not recorded");
    }

    public Task HoldLapsed(long campaignId, long caseId)
    {
        if (_held == new HeldCase(campaignId, caseId))
        {
            _held = null;
            _call = null;
            Publish();
        }

        return Task.CompletedTask;
    }

    private AgentRecord Existing()
    {
        if (_record is null)
        {
            DeactivateOnIdle();
            throw RequestRefusedException.NotFound("agentId", "agent", _id);
        }

        return _record;
    }

    private ICampaignGrain Campaign(long campaignId)
    {
        if (!_campaignGrains.TryGetValue(campaignId, out var grain))
        {
            grain = GrainFactory.GetGrain<ICampaignGrain>(campaignId);
            _campaignGrains.Add(campaignId, grain);
        }

        return grain;
    }

    /// <summary>After a restart this grain does not know its hold; the campaigns it works for do.</summary>
    private async Task<HeldCase?> FindHeldAsync()
    {
        foreach (var campaignId in _campaigns)
        {
            if (await Campaign(campaignId).HeldByAsync(_id) is { } held)
            {
                return held;
            }
        }

        return null;
    }

    private static RequestRefusedException HoldsElsewhere(HeldCase held) =>
        new(Refusal.Conflict, "campaignId", $"the agent holds case {held.CaseId} of campaign {held.CampaignId}: complete it first");

    private void Publish() => board.Publish(new AgentSnapshot(
        _id, _record!.Name, _presence.State, _presence.Since, _presence.Reason, _held?.CampaignId, _held?.CaseId, clock.GetUtcNow(), _call?.CallId, _call?.State));
}
