using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Routing;

/// <summary>
/// What routing needs to know about one case, and nothing more. Immutable: a change is a new snapshot
/// given to <see cref="CampaignQueue.Update"/>.
/// </summary>
/// <param name="TimeZone">The contact's own zone; the calling window is applied there.</param>
public sealed record CaseCandidate(long CaseId, string Phone, TimeZoneInfo TimeZone, DateTimeOffset CreatedAt)
{
    public CaseStatus Status { get; init; } = CaseStatus.New;

    /// <summary>PRODUCT.md: the default priority is low.</summary>
    public CasePriority Priority { get; init; } = CasePriority.Low;

    public string? OwnerAgentId { get; init; }

    /// <summary>The booked next contact (a callback); see <see cref="FunnelRules.CallbackDueAt"/>.</summary>
    public DateTimeOffset? CallbackDueAt { get; init; }

    /// <summary>Not before this time, set by <see cref="Campaigns.RetryPolicy"/> after an unsuccessful attempt.</summary>
    public DateTimeOffset? NextEligibleAt { get; init; }

    public int Attempts { get; init; }

    /// <summary>
    /// The agent holding the case. <see cref="CampaignQueue"/> reads it only in <see cref="CampaignQueue.Add"/>
    /// (rebuilding after activation); afterwards the queue's own hold record is the truth
    /// (<see cref="CampaignQueue.HolderOf"/>), and snapshots it hands out keep the value they were added with.
    /// </summary>
    public string? HolderAgentId { get; init; }

    /// <summary>When the hold named in <see cref="HolderAgentId"/> lapses; null with a holder means "already lapsed".</summary>
    public DateTimeOffset? HoldExpiresAt { get; init; }

    public bool IsTerminal => Status.IsTerminal();
}
