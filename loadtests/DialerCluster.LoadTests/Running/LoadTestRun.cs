using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Running;

/// <summary>Scenarios run one after the other in one process, then thresholds (which may compare them) are judged.</summary>
internal sealed record LoadTestPlan(IReadOnlyList<Scenario> Scenarios, IReadOnlyList<Threshold> Thresholds);

internal sealed record RunOutcome(RunReport Report, string ResultsFolder)
{
    public int ExitCode => Report.Passed ? 0 : 1;
}

internal static class LoadTestRun
{
    /// <summary>
    /// Checks the whole plan before sending anything, runs each scenario with one shared loopback-only client
    /// (or <paramref name="http"/>), judges the thresholds and writes report.md and report.csv.
    /// </summary>
    public static async Task<RunOutcome> ExecuteAsync(LoadTestPlan plan, RunSettings settings, CancellationToken cancellationToken, HttpClient? http = null)
    {
        settings.Validate();
        if (plan.Scenarios.Count == 0)
        {
            throw new BadInputException("scenarios", "the run has no scenario");
        }

        foreach (var scenario in plan.Scenarios)
        {
            scenario.Validate();
        }

        var twice = plan.Scenarios.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new BadInputException("scenarios", $"scenario name '{twice.Key}' is used twice; thresholds could not tell them apart");
        }

        ThresholdEvaluator.Validate(plan.Thresholds, plan.Scenarios);

        using var session = new LoadTestSession(settings, http);
        foreach (var scenario in plan.Scenarios)
        {
            await session.RunAsync(scenario, cancellationToken);
        }

        return session.Finish(plan.Thresholds);
    }
}
