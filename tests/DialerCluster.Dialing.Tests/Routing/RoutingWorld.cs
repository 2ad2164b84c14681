using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;

namespace DialerCluster.Dialing.Tests.Routing;

/// <summary>Fixed places and times the routing tests share.</summary>
internal static class RoutingWorld
{
    /// <summary>Monday 2025-03-10 12:00 UTC: 13:00 in Berlin and 12:00 in London (open), 08:00 in New York and 21:00 in Tokyo (closed).</summary>
    public static readonly DateTimeOffset T0 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    public static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    public static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    public static readonly CampaignSettings Settings = new()
    {
        Name = "routing tests",
        MaxAttempts = 3,
        OwnerFallback = TimeSpan.FromMinutes(30),
        HoldTimeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>A new, unowned, low-priority case in Berlin, created <paramref name="ageMinutes"/> before T0.</summary>
    public static CaseCandidate Case(long id, int ageMinutes = 60) =>
        new(id, $"+4930{id:D7}", Berlin, T0.AddMinutes(-ageMinutes));

    public static CaseCandidate Owned(this CaseCandidate c, string owner) => c with { OwnerAgentId = owner };

    public static CaseCandidate Callback(this CaseCandidate c, int dueInMinutes) =>
        c with { Status = CaseStatus.InAcquisition, CallbackDueAt = T0.AddMinutes(dueInMinutes) };

    public static CaseCandidate WithPriority(this CaseCandidate c, CasePriority priority) => c with { Priority = priority };

    public static CampaignQueue QueueOf(IEnumerable<CaseCandidate> cases)
    {
        var queue = new CampaignQueue();
        foreach (var c in cases)
        {
            queue.Add(c);
        }

        return queue;
    }
}
