using System.Runtime.InteropServices;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Targets;
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

        var startedAt = DateTimeOffset.UtcNow;
        using var owned = http is null ? LoopbackTarget.CreateHttpClient() : null;
        var client = http ?? owned!;
        var reports = new List<ScenarioReport>();
        foreach (var scenario in plan.Scenarios)
        {
            if (settings.Progress is { } progress)
            {
                await progress.WriteLineAsync($"scenario {scenario.Name}: {string.Join(", then ", scenario.Load.Select(l => l.Describe()))}; warm-up {DurationText.Format(scenario.WarmUp)}");
            }

            reports.Add(await new ScenarioRunner(scenario, settings, client).RunAsync(cancellationToken));
        }

        var report = new RunReport(startedAt, Machine(), reports, ThresholdEvaluator.Evaluate(plan.Thresholds, reports));
        return new RunOutcome(report, ResultsFolder.Write(report, settings.ResultsRoot));
    }

    private static string Machine() =>
        $"{Environment.MachineName}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
