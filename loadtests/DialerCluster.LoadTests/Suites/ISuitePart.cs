using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;

namespace DialerCluster.LoadTests.Suites;

/// <summary>Scenarios a suite runs on one engine's host, then the goals it judges once the load is over.</summary>
internal interface ISuitePart
{
    Task RunAsync(EngineRun run, LoadTestSession session, SuiteSettings settings, CancellationToken cancellationToken);

    /// <summary>Adds goals and report notes from the scenarios' reports (before the run's report is written).</summary>
    void Judge(EngineRun run, IReadOnlyList<ScenarioReport> reports, SuiteSettings settings);
}
