using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Routing;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// One agent on the live wall: what they are doing, since when, and on which campaign and case; in a dialing
/// campaign also the dialed call they were connected to and where it stands ("connected", "ended").
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record AgentSnapshot(
    long AgentId,
    string Name,
    AgentState State,
    DateTimeOffset Since,
    string? Reason,
    long? CampaignId,
    long? CaseId,
    DateTimeOffset At,
    long? CallId = null,
    string? CallState = null);

/// <summary>
/// Dial figures of a campaign; filled in once the dialing engine runs campaigns (issue 4). The answer and abandon rates are
/// measured, and null until a person has answered a call: a rate of nothing is not 0%. <paramref name="EstimatedAnswerRate"/>
/// is what the pacer dials on: the measured rate pulled towards a prior while few calls are known.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CampaignDialStats(double DialsPerMinute, double? AnswerRate, double? AbandonRate, double AgentOccupancy, double EstimatedAnswerRate);

/// <summary>One campaign on the live wall: its queue by funnel stage and by place (ready, held, waiting).</summary>
[GenerateSerializer]
[Immutable]
public sealed record CampaignSnapshot(
    long CampaignId,
    string Name,
    CampaignQueueCounts Counts,
    int AssignedAgents,
    DateTimeOffset At,
    CampaignDialStats? Dialing = null);

/// <summary>A contact import in progress or just finished.</summary>
[GenerateSerializer]
[Immutable]
public sealed record ImportSnapshot(
    string ImportId,
    string Name,
    int RowsRead,
    int Accepted,
    int Rejected,
    double? Fraction,
    bool Done,
    long? GroupId,
    DateTimeOffset At);

/// <summary>Everything on the wall at one moment (GET /api/monitor).</summary>
public sealed record MonitorSnapshot(
    IReadOnlyList<AgentSnapshot> Agents,
    IReadOnlyList<CampaignSnapshot> Campaigns,
    IReadOnlyList<ImportSnapshot> Imports,
    DateTimeOffset At);

/// <summary>A change on the wall, as streamed to subscribers (server-sent events).</summary>
public abstract record LiveEvent(DateTimeOffset At);

public sealed record AgentChanged(AgentSnapshot Agent) : LiveEvent(Agent.At);

public sealed record CampaignChanged(CampaignSnapshot Campaign) : LiveEvent(Campaign.At);

public sealed record ImportChanged(ImportSnapshot Import) : LiveEvent(Import.At);

/// <summary>An agent left the wall: the node that last reported them stopped answering (see <see cref="LiveBoard"/>).</summary>
public sealed record AgentGone(long AgentId, DateTimeOffset At) : LiveEvent(At);

/// <summary>A campaign left the wall: the node that last reported it stopped answering.</summary>
public sealed record CampaignGone(long CampaignId, DateTimeOffset At) : LiveEvent(At);
