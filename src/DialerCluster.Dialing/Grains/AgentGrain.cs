using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Runtime;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One agent: their presence (offline, ready, on call, wrap-up, break; logged and resumed after a restart),
/// and the one case they hold. Next case and complete go down to the campaign; the agent waits for the
/// durable hold or release outside the campaign's turn.
/// </summary>
public sealed class AgentGrain(IAgentStore agents, ICampaignStore campaigns, ICaseStore cases, LiveBoard board) : Grain
{
    /// <summary>Cases tried per Next case when the store refuses holds (another node took it, it closed meanwhile).</summary>
    public const int MaxHoldAttempts = 5;

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
        _id = GrainKeys.Parse(Key);
        _record = await agents.GetAsync(_id, cancellationToken);
        if (_record is null)
        {
            DeactivateOnIdle();
            return;
        }

        _presence = await agents.LastStateAsync(_id, cancellationToken) ?? AgentPresence.OfflineSince(_record.CreatedAt);
        _campaigns = [.. await campaigns.CampaignsOfAgentAsync(_id, cancellationToken)];
        Publish();
    }

    public ValueTask<AgentView> ViewAsync()
    {
        var record = Existing();
        return ValueTask.FromResult(new AgentView(_id, record.Name, _presence, _held?.CampaignId, _held?.CaseId));
    }

    /// <summary>The campaigns this agent is assigned to (read-only).</summary>
    public ValueTask<IReadOnlyList<long>> CampaignsAsync()
    {
        Existing();
        return ValueTask.FromResult<IReadOnlyList<long>>(_campaigns);
    }

    /// <summary>The campaign assigned or unassigned this agent (one-way, from the campaign, after the store has it).</summary>
    public ValueTask CampaignAssignmentChanged(long campaignId, bool assigned)
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

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Moves the agent to a state (a break needs a reason). 409 when the move is not allowed from the current
    /// state, 422 for a missing or too long reason. The state is logged before it takes effect.
    /// </summary>
    public async ValueTask<AgentView> SetStatusAsync(AgentState state, string? reason, CancellationToken cancellationToken)
    {
        Existing();
        await EnterAsync(state, reason, cancellationToken);
        return await ViewAsync();
    }

    /// <summary>
    /// Next case, in any mode. Preview: the offer, as <see cref="NextCaseAsync"/>. Progressive, power and predictive:
    /// the agent becomes ready and waits for a dialed lead; the returned task is awaited outside this grain (a turn must
    /// not wait for a call), then <see cref="LeadOfferAsync"/> turns the lead into the offer. An agent already connected
    /// to a lead in the campaign gets it back at once.
    /// </summary>
    public async ValueTask<NextCaseStart> StartNextCaseAsync(long campaignId, CancellationToken cancellationToken)
    {
        Existing();
        var campaign = GrainFactory.GetGrain<CampaignGrain>(GrainKeys.Of(campaignId));
        var mode = await campaign.ReadAsync(static (g, _) => g.DialModeAsync(), cancellationToken);
        if (mode == DialMode.Preview)
        {
            return new NextCaseStart(await NextCaseAsync(campaignId, cancellationToken), null);
        }

        var held = _held ?? await FindHeldAsync(cancellationToken);
        if (held is not null)
        {
            _held = held;
            if (held.CampaignId != campaignId)
            {
                throw HoldsElsewhere(held);
            }

            // A repeated poll (a retried request, a reload) gets the lead it was given, with the call as it stands now.
            var view = await GrainFactory.GetGrain<CaseGrain>(GrainKeys.Of(held.CaseId))
                .CallAsync(static (g, ct) => g.ViewAsync(ct), cancellationToken);
            return new NextCaseStart(
                new NextCaseOffer(view.Case, view.Contact, Repeated: true) { CallId = _call?.CallId, Call = _call }, null);
        }

        if (_presence.State != AgentState.Ready)
        {
            if (!AgentStateMachine.IsAllowed(_presence.State, AgentState.Ready))
            {
                throw new RequestRefusedException(
                    Refusal.Conflict, "status", $"the agent is {_presence.State.ToWire()}; only an agent who may become ready waits for a call");
            }

            await EnterAsync(AgentState.Ready, null, cancellationToken);
        }

        var wait = await campaign.CallAsync(_id, static (g, id, _) => g.WaitForLeadAsync(id), cancellationToken);
        return new NextCaseStart(null, wait.Lead);
    }

    /// <summary>The offer for a dialed lead this agent was connected to (after the long poll). Idempotent.</summary>
    public async ValueTask<NextCaseOffer> LeadOfferAsync(DialedLead lead, CancellationToken cancellationToken)
    {
        Existing();
        ArgumentNullException.ThrowIfNull(lead);
        if (_call?.CallId != lead.CallId || _call.CaseId != lead.CaseId)
        {
            await DialedLeadConnected(lead, cancellationToken);
        }

        var view = await GrainFactory.GetGrain<CaseGrain>(GrainKeys.Of(lead.CaseId))
            .CallAsync(static (g, ct) => g.ViewAsync(ct), cancellationToken);
        return new NextCaseOffer(view.Case, view.Contact, Repeated: false) { CallId = _call?.CallId, Call = _call };
    }

    /// <summary>The campaign bridged a dialed call to this agent and the case is durably theirs (one-way, from the campaign).</summary>
    public async ValueTask DialedLeadConnected(DialedLead lead, CancellationToken cancellationToken)
    {
        if (_record is null || (_call is { } known && known.CallId == lead.CallId && known.CaseId == lead.CaseId))
        {
            return;
        }

        _held = new HeldCase(lead.CampaignId, lead.CaseId);
        _call = lead;
        if (AgentStateMachine.IsAllowed(_presence.State, AgentState.OnCall))
        {
            await EnterAsync(AgentState.OnCall, null, cancellationToken);
        }

        Publish();
    }

    /// <summary>The person hung up a dialed call: the agent keeps the case and goes to wrap-up (one-way, from the campaign).</summary>
    public async ValueTask DialedCallEnded(long caseId, long callId, CancellationToken cancellationToken)
    {
        if (_call is not { } call || call.CaseId != caseId || call.CallId != callId)
        {
            return;
        }

        _call = call with { State = CallStates.Ended };
        if (_presence.State == AgentState.OnCall)
        {
            await EnterAsync(AgentState.WrapUp, null, cancellationToken);
        }

        Publish();
    }

    private async ValueTask EnterAsync(AgentState state, string? reason, CancellationToken cancellationToken)
    {
        var transition = _presence.Enter(state, TimeProvider.GetUtcNow(), reason);
        if (!transition.IsAccepted)
        {
            var refusedMove = Enum.IsDefined(state) && state != _presence.State && !AgentStateMachine.IsAllowed(_presence.State, state);
            throw new RequestRefusedException(refusedMove ? Refusal.Conflict : Refusal.Unprocessable, transition.Errors);
        }

        if (!ReferenceEquals(transition.Presence, _presence))
        {
            await agents.AppendStateAsync(_id, transition.Presence, cancellationToken);
            _presence = transition.Presence;

            // Down to the campaigns, one-way: their owner-fallback rule needs to know who is away.
            foreach (var campaignId in _campaigns)
            {
                GrainFactory.GetGrain<CampaignGrain>(GrainKeys.Of(campaignId))
                    .Tell((_id, _presence), static (g, a, _) => g.PresenceChanged(a.Item1, a.Item2));
            }

            Publish();
        }
    }

    /// <summary>
    /// Next case in a campaign: the case is durably held by this agent before it is returned. The same case
    /// again if the agent already holds it there. Null when nothing is eligible.
    /// </summary>
    public async ValueTask<NextCaseOffer?> NextCaseAsync(long campaignId, CancellationToken cancellationToken)
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

        var campaign = GrainFactory.GetGrain<CampaignGrain>(GrainKeys.Of(campaignId));
        for (var attempt = 0; attempt < MaxHoldAttempts; attempt++)
        {
            var ticket = await campaign.CallAsync(_id, static (g, id, _) => g.TakeNextAsync(id), cancellationToken);
            if (ticket is null)
            {
                return null;
            }

            var caseId = ticket.Case.CaseId;
            if (ticket.Repeated)
            {
                _held = new HeldCase(campaignId, caseId);
                return await OfferOfHeldAsync(caseId, repeated: true, cancellationToken);
            }

            CaseHold? hold;
            try
            {
                hold = await ticket.Hold;
            }
            catch
            {
                await campaign.CallAsync((_id, caseId), static (g, a, _) => g.ReleaseHoldAsync(a.Item1, a.Item2, null), CancellationToken.None);
                throw;
            }

            if (hold is not null)
            {
                // The hold's own transaction read the case and contact: nothing to read again before answering.
                _held = new HeldCase(campaignId, caseId);
                Publish();
                return new NextCaseOffer(hold.Case, hold.Contact, Repeated: false);
            }

            var fresh = await cases.GetAsync(caseId, cancellationToken);
            if (fresh?.HolderAgentId == _id)
            {
                // Refused because this agent already holds it in the store (a hold from before a restart).
                _held = new HeldCase(campaignId, caseId);
                return await OfferOfHeldAsync(caseId, repeated: false, cancellationToken);
            }

            await campaign.CallAsync((_id, caseId, fresh), static (g, a, _) => g.ReleaseHoldAsync(a.Item1, a.Item2, a.Item3), CancellationToken.None);
            if (fresh is { HolderAgentId: null } && !fresh.Status.IsTerminal() && await FindHeldAsync(cancellationToken) is { } other)
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

    /// <summary>The offer for a case this agent already holds (a repeated request, a hold found after a restart).</summary>
    private async Task<NextCaseOffer> OfferOfHeldAsync(long caseId, bool repeated, CancellationToken cancellationToken)
    {
        var view = await GrainFactory.GetGrain<CaseGrain>(GrainKeys.Of(caseId))
            .CallAsync(static (g, ct) => g.ViewAsync(ct), cancellationToken);
        Publish();
        return new NextCaseOffer(view.Case, view.Contact, repeated);
    }

    /// <summary>
    /// Lets go of the held case after a call attempt with its outcome (drives the retry time and attempts).
    /// 409 when the agent holds no case or the hold has lapsed.
    /// </summary>
    public async ValueTask<CompletedCase> CompleteAsync(CallOutcome outcome, CancellationToken cancellationToken)
    {
        Existing();
        if (!Enum.IsDefined(outcome))
        {
            throw new RequestRefusedException(Refusal.Invalid, "outcome", $"must be one of {string.Join(", ", CallOutcomeWire.All)}");
        }

        var held = _held ?? await FindHeldAsync(cancellationToken)
            ?? throw new RequestRefusedException(Refusal.Conflict, "agentId", $"agent {_id} holds no case: take one with Next case, then complete it");
        var ticket = await GrainFactory.GetGrain<CampaignGrain>(GrainKeys.Of(held.CampaignId))
            .CallAsync((_id, outcome), static (g, a, _) => g.CompleteAsync(a.Item1, a.Item2), cancellationToken);
        _held = null;
        _call = null;

        // Completing from the desk while the line is up ends the conversation (the campaign hangs up); the
        // hang-up event then finds no call here, so the agent must leave on_call now or stay stuck in it.
        if (_presence.State == AgentState.OnCall)
        {
            await EnterAsync(AgentState.WrapUp, null, cancellationToken);
        }
        if (ticket is null)
        {
            Publish();
            throw new RequestRefusedException(
                Refusal.Conflict, "agentId", $"the hold on case {held.CaseId} lapsed (hold timeout) and the case went back to the queue");
        }

        var released = await ticket.Release;
        Publish();
        if (!released)
        {
            throw new RequestRefusedException(
                Refusal.Conflict, "agentId", $"the store no longer shows agent {_id} holding case {held.CaseId}; the attempt was not recorded");
        }

        return ticket.Completed;
    }

    /// <summary>The campaign took back a hold that was not completed in time (one-way, from the campaign).</summary>
    public ValueTask HoldLapsed(long campaignId, long caseId)
    {
        if (_held == new HeldCase(campaignId, caseId))
        {
            _held = null;
            _call = null;
            Publish();
        }

        return ValueTask.CompletedTask;
    }

    private AgentRecord Existing() =>
        _record ?? throw RequestRefusedException.NotFound("agentId", "agent", _id);

    /// <summary>After a restart this grain does not know its hold; the campaigns it works for do.</summary>
    private async Task<HeldCase?> FindHeldAsync(CancellationToken cancellationToken)
    {
        foreach (var campaignId in _campaigns)
        {
            var held = await GrainFactory.GetGrain<CampaignGrain>(GrainKeys.Of(campaignId))
                .ReadAsync(_id, static (g, id, _) => g.HeldByAsync(id), cancellationToken);
            if (held is not null)
            {
                return held;
            }
        }

        return null;
    }

    private static RequestRefusedException HoldsElsewhere(HeldCase held) =>
        new(Refusal.Conflict, "campaignId", $"the agent holds case {held.CaseId} of campaign {held.CampaignId}: complete it first");

    private void Publish() => board.Publish(new AgentSnapshot(
        _id, _record!.Name, _presence.State, _presence.Since, _presence.Reason, _held?.CampaignId, _held?.CaseId, TimeProvider.GetUtcNow(), _call?.CallId, _call?.State));
}
