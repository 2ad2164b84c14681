using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Grains;

/// <summary>A case with its contact, as the case card shows it.</summary>
public sealed record CaseView(CaseRecord Case, ContactRecord? Contact);

/// <summary>A case with its contact and its whole history.</summary>
public sealed record CaseDetails(CaseRecord Case, ContactRecord? Contact, IReadOnlyList<StoredActivity> Activities);

/// <summary>
/// What Next case hands an agent: the case, durably held by them, and its contact. <see cref="Repeated"/>: the
/// agent already held it (a repeated click, a retried request, a restart) and gets the same case back.
/// </summary>
public sealed record NextCaseOffer(CaseRecord Case, ContactRecord? Contact, bool Repeated)
{
    /// <summary>The call placed for the case once the dialing engine runs campaigns (issue 4); null in preview.</summary>
    public long? CallId { get; init; }

    /// <summary>The connected call in a dialing mode (progressive, power, predictive); null in preview.</summary>
    public Dialer.DialedLead? Call { get; init; }
}

/// <summary>An agent let go of their case after a call attempt.</summary>
public sealed record CompletedCase(
    long CaseId,
    long CampaignId,
    CallOutcome Outcome,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    RetryDecisionKind Retry);

/// <summary>
/// A change to a case (PATCH): status and form fields, priority, owner. Null leaves a value as it is;
/// <see cref="ChangeOwner"/> with a null <see cref="OwnerAgentId"/> clears the owner.
/// </summary>
/// <param name="ExpectedVersion">Optimistic concurrency: refused (409) when the case changed since.</param>
/// <param name="EditingAgentId">The agent saving the card; refused (409) when another agent holds the case.</param>
/// <param name="By">Who, for the history.</param>
public sealed record CasePatch(
    CaseStatus? Status,
    CaseForm Form,
    CasePriority? Priority,
    bool ChangeOwner,
    long? OwnerAgentId,
    long? ExpectedVersion,
    long? EditingAgentId,
    string By);

/// <summary>An agent as the API shows them.</summary>
public sealed record AgentView(long AgentId, string Name, AgentPresence Presence, long? CampaignId, long? CaseId);

/// <summary>A campaign as the API shows it: settings, version, queue at a glance, assigned agents.</summary>
public sealed record CampaignView(CampaignRecord Record, CampaignQueueCounts Counts, IReadOnlyList<long> Agents);

/// <summary>
/// A case the campaign marked held for an agent in memory, and the durable hold that was started in the
/// same turn but is awaited by the agent, outside the campaign's turn (the held case and contact, or null when
/// the store refused it). Repeated: the agent already held this case, so no hold was started.
/// </summary>
public sealed record HoldTicket(CaseCandidate Case, Task<CaseHold?> Hold, bool Repeated);

/// <summary>A release the campaign applied in memory, and its durable write, awaited by the agent.</summary>
public sealed record ReleaseTicket(CompletedCase Completed, Task<bool> Release);

/// <summary>Where an agent's hold stands in a campaign.</summary>
public sealed record HeldCase(long CampaignId, long CaseId);

/// <summary>An agent waiting in a dialing campaign: completes with the dialed lead once a call is connected to them.</summary>
public sealed record LeadWait(Task<Dialer.DialedLead?> Lead);

/// <summary>
/// Next case, started: in preview the offer itself; in a dialing mode the wait for a dialed lead, which the caller
/// awaits outside any grain turn (a long poll), then turns into an offer with <see cref="AgentGrain.LeadOfferAsync"/>.
/// </summary>
public sealed record NextCaseStart(NextCaseOffer? Offer, Task<Dialer.DialedLead?>? Lead);
