using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Dialer;
using Orleans.Concurrency;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One agent (keyed by the agent's id): their presence (offline, ready, on call, wrap-up, break) and the one case
/// they hold. Next case and complete go down to the campaign; news comes back up as one-way calls.
/// </summary>
public interface IAgentGrain : IGrainWithIntegerKey
{
    /// <summary>The agent as the API shows them. 404 (<see cref="RequestRefusedException"/>) for an unknown id.</summary>
    [ReadOnly]
    Task<AgentView> ViewAsync();

    /// <summary>The campaigns this agent is assigned to; read on every access check, so answered from memory.</summary>
    [ReadOnly]
    Task<IReadOnlyList<long>> CampaignsAsync();

    /// <summary>Moves the agent to a state (a break needs a reason): 409 when the move is not allowed, 422 for a bad reason.</summary>
    Task<AgentView> SetStatusAsync(AgentState state, string? reason);

    /// <summary>
    /// Next case in any mode. Preview: the offer (or null when nothing is eligible). Dialing modes: the agent becomes
    /// ready and waits in the campaign for a dialed lead (<see cref="NextCaseStart.Waiting"/>); the caller then waits with
    /// <see cref="ICampaignGrain.AwaitLeadAsync"/> outside this grain and turns the lead into the offer with
    /// <see cref="LeadOfferAsync"/>. An agent already holding a case in the campaign gets it back.
    /// </summary>
    Task<NextCaseStart> StartNextCaseAsync(long campaignId);

    /// <summary>Preview Next case: the case is durably held by this agent before it is returned; null when nothing is eligible.</summary>
    Task<NextCaseOffer?> NextCaseAsync(long campaignId);

    /// <summary>The offer for a dialed lead this agent was connected to. Idempotent.</summary>
    Task<NextCaseOffer> LeadOfferAsync(DialedLead lead);

    /// <summary>Lets go of the held case after a call attempt with its outcome. 409 when the agent holds no case.</summary>
    Task<CompletedCase> CompleteAsync(CallOutcome outcome);

    /// <summary>From a campaign, after the store has it: the agent was assigned to or unassigned from it.</summary>
    [OneWay]
    Task CampaignAssignmentChanged(long campaignId, bool assigned);

    /// <summary>From the campaign: a dialed call was bridged to this agent and the case is durably theirs.</summary>
    [OneWay]
    Task DialedLeadConnected(DialedLead lead);

    /// <summary>From the campaign: the person hung up a dialed call; the agent keeps the case and goes to wrap-up.</summary>
    [OneWay]
    Task DialedCallEnded(long caseId, long callId);

    /// <summary>From the campaign: a hold not completed within the hold timeout went back to the queue.</summary>
    [OneWay]
    Task HoldLapsed(long campaignId, long caseId);
}
