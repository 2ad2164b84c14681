using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.InMemory;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Suites;

/// <summary>The storm's figures on one engine, for the goals and the summary table.</summary>
internal sealed record StormFigures(
    int Agents,
    int Cases,
    double BaselineRps,
    double SignedInRps,
    double NextCaseRps,
    double CompleteRps,
    double ClosedFailPercent,
    double OpenRate,
    double OpenNextCaseP99Ms,
    double OpenFailPercent,
    double HostCores,
    double GeneratorCores,
    double BaselineHostCores,
    QueueProbeResult? InMemory)
{
    public double Ratio => BaselineRps > 0 ? NextCaseRps / BaselineRps : 0;
}

/// <summary>The mixed day's figures on one engine.</summary>
internal sealed record MixedDayFigures(int Agents, double IterationsPerSecond, double RequestsPerSecond, double FailPercent, double NextCaseP99Ms, double SaveP99Ms);

/// <summary>Everything one engine's run collects: the host, set-up, figures, goals and the report notes.</summary>
internal sealed class EngineRun(string engine, HostUnderTest host)
{
    public string Engine { get; } = engine;

    public HostUnderTest Host { get; } = host;

    public MachineLoad? LoadBefore { get; set; }

    public MachineLoad? LoadAfter { get; set; }

    public HostMetricsSample? Empty { get; set; }

    public HostMetricsSample? Seeded { get; set; }

    public HostMetricsSample? After { get; set; }

    public (double Resident, double Heap, int Samples) Peaks { get; set; }

    public CallCenter? CallCenter { get; set; }

    public StormFigures? Storm { get; set; }

    public MixedDayFigures? MixedDay { get; set; }

    public List<GoalLine> Goals { get; } = [];

    public List<ReportNote> Notes { get; } = [];

    /// <summary>Judged by the harness and decide the report's PASS/FAIL and the exit code.</summary>
    public List<Threshold> Thresholds { get; } = [];

    public string? ReportFolder { get; set; }

    public RunReport? Report { get; set; }

    /// <summary>The host still answered /healthz after the load.</summary>
    public bool HealthyAfter { get; set; }

    /// <summary>Wall time of the last scenario each part ran, keyed by scenario name, for CPU shares.</summary>
    public Dictionary<string, (TimeSpan Wall, double HostCpuSeconds, double GeneratorCpuSeconds)> Cpu { get; } = [];

    /// <summary>The harness's thresholds all passed and no judged goal failed or was invalid (only correctness goals when <paramref name="goalsEnforced"/> is false).</summary>
    public bool Passed(bool goalsEnforced) =>
        (Report?.Passed ?? false) && Goals.Where(g => goalsEnforced || g.Correctness).All(g => g.Verdict is not (GoalVerdict.Fail or GoalVerdict.Invalid));
}
