using System.Globalization;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Suites;

/// <summary>The trivial endpoint alone: what one request costs this host with no dialer work.</summary>
internal sealed class BaselinePart(int copies) : ISuitePart
{
    public async Task RunAsync(EngineRun run, LoadTestSession session, SuiteSettings settings, CancellationToken cancellationToken)
    {
        await ScenarioCpu.RunAsync(run, session, BaselineScenario.Create(run.Host.BaseUrl, copies, settings.During, settings.WarmUp, settings.StepTimeout), cancellationToken);
        run.Thresholds.Add(Threshold.Parse($"fail%({BaselineScenario.Name}) <= 1"));
    }

    public void Judge(EngineRun run, IReadOnlyList<ScenarioReport> reports, SuiteSettings settings)
    {
        var baseline = reports.Single(r => r.Scenario == BaselineScenario.Name);
        var (hostCores, generatorCores) = ScenarioCpu.Cores(run, BaselineScenario.Name);
        run.Goals.Add(new GoalLine(
            "baseline (GET /healthz) for ratios",
            GoalVerdict.NotJudged,
            string.Create(CultureInfo.InvariantCulture, $"{baseline.Total.Rps:N0} requests/s with {copies} copies, p99 {baseline.Total.Latency.P99Ms:0.##} ms; host used {hostCores:0.00} cores, this generator {generatorCores:0.00}")));
    }
}
