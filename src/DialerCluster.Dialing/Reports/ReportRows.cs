using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Reports;

// What the report store answers: counts and sums straight from SQL. Ratios, shares and medians that need them are
// computed where the report is shaped (ReportTables), so one rule turns them into what a page and an export show.

/// <summary>
/// Funnel conversion over a cohort: the cases created in the period (by campaign and lead source; with an agent, the
/// cases that agent owns or moved), followed to today. A case has reached a stage when its history shows it there or
/// past it (New, In acquisition, Offered, Won in that order: a client who skipped a stage passed it).
/// </summary>
/// <param name="Reached">Per stage New, In acquisition, Offered, Won: cases that reached it.</param>
/// <param name="ResignedFrom">Per stage New, In acquisition, Offered: cases that resigned from it.</param>
public sealed record FunnelCounts(long Cases, IReadOnlyDictionary<CaseStatus, long> Reached, IReadOnlyDictionary<CaseStatus, long> ResignedFrom);

/// <summary>
/// One agent's period: calls they were connected to (the calls table) and talk time; time in each state from the agent
/// state log (the whole agent's time: the log has no campaign); stage moves they made (case history).
/// </summary>
public sealed record AgentCounts(
    long AgentId,
    string AgentName,
    long Calls,
    TimeSpan Talk,
    TimeSpan Ready,
    TimeSpan OnCall,
    TimeSpan WrapUp,
    TimeSpan Break,
    long ToAcquisition,
    long ToOffered,
    long Won,
    long Resigned,
    long Ratings,
    double? AverageRating);

/// <summary>Cases that resigned in the period with this reason, per stage they left from.</summary>
public sealed record ResignationCounts(string Reason, long FromNew, long FromAcquisition, long FromOffered)
{
    public long Cases => FromNew + FromAcquisition + FromOffered;
}

/// <summary>
/// Sales-cycle length of the cases won in the period: from the first contact (the case's first call attempt or stage
/// move in its history) to the move to Won, in days.
/// </summary>
public sealed record SalesCycleCounts(long Won, double? MedianDays, double? MeanDays, IReadOnlyList<long> PerBucket)
{
    /// <summary>Upper bounds (days, exclusive) of the distribution's buckets; the last bucket has none.</summary>
    public static readonly IReadOnlyList<double> BucketEnds = [1, 3, 7, 14, 30, 60, 90];
}

/// <summary>The cohort (as in <see cref="FunnelCounts"/>) per lead source.</summary>
public sealed record LeadSourceCounts(string LeadSource, long Cases, long ReachedOffered, long Won, long Resigned);

/// <summary>Calls started in the period by how they ended ("in_progress" while up); talk time of those answered.</summary>
public sealed record CallOutcomeCounts(string Outcome, long Calls, long Answered, TimeSpan Talk);
