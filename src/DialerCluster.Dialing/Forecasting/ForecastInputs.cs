using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Forecasting;

/// <summary>
/// Everything the three forecasts learn from, as counts read in SQL (see IForecastStore): the history of closed cases,
/// the open pipeline, and the recent weeks' wins. Weeks are counted from <see cref="AsOf"/>: week 0 is the seven days
/// starting then; past week -1 the seven days before.
/// </summary>
public sealed record ForecastInputs(
    DateTimeOffset AsOf,
    int Weeks,
    StageHistory Stages,
    IReadOnlyList<OpenCases> Pipeline,
    CycleHistory Cycles,
    IReadOnlyList<OpenAges> Ages,
    IReadOnlyList<WeeklyWins> RecentWins,
    int RecentWeeks,
    IReadOnlyDictionary<long, decimal> DealValues);

/// <summary>Closed cases (won or resigned) of the learning window that reached each stage, and how many of those won.</summary>
public sealed record StageHistory(IReadOnlyDictionary<CaseStatus, long> ClosedReached, IReadOnlyDictionary<CaseStatus, long> WonReached)
{
    public static StageHistory Empty { get; } = new(new Dictionary<CaseStatus, long>(), new Dictionary<CaseStatus, long>());

    public long Closed(CaseStatus stage) => ClosedReached.GetValueOrDefault(stage);

    public long Won(CaseStatus stage) => WonReached.GetValueOrDefault(stage);
}

/// <summary>Open cases of a campaign in a stage, by the week their expected close date falls in (null: no date; negative: past).</summary>
public sealed record OpenCases(long CampaignId, CaseStatus Stage, int? CloseWeek, long Count);

/// <summary>
/// Closed cases of the learning window by whole weeks from first contact to closing: <see cref="Won"/>[w] won, and
/// <see cref="Closed"/>[w] won or resigned, in week w. The last entry holds that week and every later one.
/// </summary>
public sealed record CycleHistory(IReadOnlyList<long> Won, IReadOnlyList<long> Closed)
{
    public static CycleHistory Empty { get; } = new([], []);

    public long TotalClosed => Closed.Sum();
}

/// <summary>Open cases of a campaign whose cycle is <see cref="AgeWeek"/> whole weeks old (0: not contacted yet, or new this week).</summary>
public sealed record OpenAges(long CampaignId, int AgeWeek, long Count);

/// <summary>Wins of a campaign in past week <see cref="Week"/> (-1 is the last full week before <c>AsOf</c>).</summary>
public sealed record WeeklyWins(long CampaignId, int Week, long Won);

/// <summary>
/// A forecast's question: <see cref="Weeks"/> ahead from <see cref="AsOf"/>, optionally for one campaign and lead source.
/// Probabilities and cycle lengths are learned from the cases closed in the <see cref="LearnWeeks"/> before; the trend
/// and the actuals are the last <see cref="RecentWeeks"/>.
/// </summary>
public sealed record ForecastQuery(DateTimeOffset AsOf, int Weeks, long? CampaignId = null, string? LeadSource = null)
{
    public const int LearnWeeks = 52;
    public const int RecentWeeks = 12;

    /// <summary>Cycles are counted week by week up to two years; longer ones share the last week.</summary>
    public const int CycleWeeks = 104;
}
