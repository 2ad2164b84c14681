using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Grains;

/// <summary>A case with its contact, as the case card shows it.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseView(CaseRecord Case, ContactRecord? Contact);

/// <summary>A case with its contact and its whole history.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseDetails(CaseRecord Case, ContactRecord? Contact, IReadOnlyList<StoredActivity> Activities);

/// <summary>
/// What Next case hands an agent: the case, durably held by them, and its contact. <see cref="Repeated"/>: the
/// agent already held it (a repeated click, a retried request, a restart) and gets the same case back.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record NextCaseOffer(CaseRecord Case, ContactRecord? Contact, bool Repeated)
{
    /// <summary>The dialer's call id of the connected call in a dialing mode; null in preview.</summary>
    [Id(3)]
    public long? CallId { get; init; }

    /// <summary>The connected call in a dialing mode (progressive, power, predictive); null in preview.</summary>
    [Id(4)]
    public DialedLead? Call { get; init; }
}

/// <summary>
/// Next case, started: in preview the offer itself, or why there is none (<see cref="NoCase"/>); in a dialing mode
/// <see cref="Waiting"/>: the agent waits in the campaign for a dialed lead (<see cref="ICampaignGrain.AwaitLeadAsync"/>).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record NextCaseStart(NextCaseOffer? Offer, bool Waiting, NoCaseReason? NoCase = null);

/// <summary>
/// What the campaign took for an agent: the case, and its durable hold (null when the store refused it).
/// <see cref="Repeated"/>: the agent already held the case here, so no new hold was written. With <see cref="NoCase"/>,
/// nothing was taken, and why. With <see cref="Dials"/>, nothing was taken because the campaign dials: its agents wait
/// for a dialed lead instead.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseTake(long CaseId, CaseHold? Hold, bool Repeated, NoCaseReason? NoCase = null, bool Dials = false)
{
    public static CaseTake Dialing { get; } = new(0, null, false, Dials: true);

    public static CaseTake Nothing(NoCaseReason why) => new(0, null, false, why);
}

/// <summary>
/// One wait of the long poll: the lead connected to the agent, or why the wait is over (<see cref="Ended"/>); neither
/// while the agent is still waiting and no call was answered yet.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record LeadPoll(DialedLead? Lead, NoCaseReason? Ended);

/// <summary>Next case as a client sees it at the end: the offer, or why there is none.</summary>
[GenerateSerializer]
[Immutable]
public sealed record NextCaseResult(NextCaseOffer? Offer, NoCaseReason? NoCase);

/// <summary>An agent let go of their case after a call attempt.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CompletedCase(
    long CaseId,
    long CampaignId,
    CallOutcome Outcome,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    RetryDecisionKind Retry);

/// <summary>A completion the campaign applied in memory, and whether its durable release found the agent still holding the case.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseCompletion(CompletedCase Completed, bool Released);

/// <summary>
/// A change to a case (PATCH): status and form fields, priority, owner. Null leaves a value as it is;
/// <see cref="ChangeOwner"/> with a null <see cref="OwnerAgentId"/> clears the owner.
/// </summary>
/// <param name="ExpectedVersion">Optimistic concurrency: refused (409) when the case changed since.</param>
/// <param name="EditingAgentId">The agent saving the card; refused (409) when another agent holds the case.</param>
/// <param name="By">Who, for the history.</param>
[GenerateSerializer]
[Immutable]
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
[GenerateSerializer]
[Immutable]
public sealed record AgentView(long AgentId, string Name, AgentPresence Presence, long? CampaignId, long? CaseId);

/// <summary>A campaign as the API shows it: settings, version, queue at a glance, assigned agents.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CampaignView(CampaignRecord Record, CampaignQueueCounts Counts, IReadOnlyList<long> Agents);

/// <summary>Where an agent's hold stands in a campaign.</summary>
[GenerateSerializer]
[Immutable]
public sealed record HeldCase(long CampaignId, long CaseId);
