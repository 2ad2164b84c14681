using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Routing;

/// <summary>
/// A campaign's queue at a glance, for the monitor. Ready: waiting in the queue (the calling window and the
/// owner rules still apply when an agent asks). Pending: waiting for a callback or retry time. Parked: found
/// on the do-not-call list or out of attempts. Closed: won or resigned.
/// </summary>
[GenerateSerializer]
[Immutable]
public readonly record struct CampaignQueueCounts(
    int Total,
    int Ready,
    int Pending,
    int Held,
    int Parked,
    int Closed,
    int New,
    int InAcquisition,
    int Offered,
    int Won,
    int Resigned)
{
    public int OfStatus(CaseStatus status) => status switch
    {
        CaseStatus.New => New,
        CaseStatus.InAcquisition => InAcquisition,
        CaseStatus.Offered => Offered,
        CaseStatus.Won => Won,
        CaseStatus.Resigned => Resigned,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

/// <summary>A hold that lapsed in <see cref="CampaignQueue.ExpireHolds"/>: the case is back in the queue.</summary>
public readonly record struct ExpiredHold(long CaseId, string AgentId);
