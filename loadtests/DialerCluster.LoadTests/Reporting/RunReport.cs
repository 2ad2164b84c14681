using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Reporting;

internal sealed record LatencySummary(double MinMs, double MeanMs, double P50Ms, double P75Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>One row of a report: a step, or the whole iteration (<see cref="ScenarioReport.TotalRowName"/>).</summary>
internal sealed record StepReport(
    string Step,
    long Ok,
    long Failed,
    long Timeouts,
    double FailPercent,
    double Rps,
    LatencySummary Latency,
    IReadOnlyDictionary<int, long> StatusCodes,
    IReadOnlyDictionary<string, long> Errors,
    long Bytes)
{
    public long Requests => Ok + Failed;
}

/// <summary>
/// A finished scenario. Latency covers every request, failed and timed out included, so failing fast can't improve a
/// percentile. The total row's fail % counts dropped arrivals as failures. Rps counts ok requests only.
/// <see cref="StartLag"/> (open model only) is due time to actual start: the part of each latency the harness added.
/// </summary>
internal sealed record ScenarioReport(
    string Scenario,
    string Load,
    TimeSpan WarmUp,
    TimeSpan Measured,
    TimeSpan LateStartThreshold,
    int MaxInFlight,
    long LateStarts,
    long Dropped,
    LatencySummary? StartLag,
    StepReport Total,
    IReadOnlyList<StepReport> Steps)
{
    public const string TotalRowName = "(all)";
}

internal sealed record RunReport(
    DateTimeOffset StartedAt,
    string Machine,
    IReadOnlyList<ScenarioReport> Scenarios,
    IReadOnlyList<ThresholdOutcome> Thresholds)
{
    /// <summary>Sections a suite adds after the scenarios (memory, set-up times, goals); Markdown lines.</summary>
    public IReadOnlyList<ReportNote> Notes { get; init; } = [];

    public bool Passed => Thresholds.All(t => t.Passed);
}

/// <summary>A titled block of Markdown lines appended to report.md.</summary>
internal sealed record ReportNote(string Title, IReadOnlyList<string> Lines);
