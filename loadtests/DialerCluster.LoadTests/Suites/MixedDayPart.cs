using System.Globalization;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Suites;

/// <summary>The mixed day on one engine (see <see cref="MixedDay"/> for the proportions).</summary>
internal sealed class MixedDayPart : ISuitePart
{
    public const string Name = "mixed-day";

    /// <summary>Above this share of empty answers the day measured an empty campaign, not the desk's requests.</summary>
    public const double DryShare = 0.1;

    public async Task RunAsync(EngineRun run, LoadTestSession session, SuiteSettings settings, CancellationToken cancellationToken)
    {
        var callCenter = run.CallCenter ?? throw new InvalidOperationException("the mixed day needs a seeded call center");
        await ScenarioCpu.RunAsync(run, session, MixedDay.Create(Name, callCenter, settings.During, settings.WarmUp, settings.StepTimeout), cancellationToken);
        run.Thresholds.Add(Threshold.Parse($"fail%({Name}) <= 1"));
    }

    public void Judge(EngineRun run, IReadOnlyList<ScenarioReport> reports, SuiteSettings settings)
    {
        var day = reports.Single(r => r.Scenario == Name);
        var nextCase = day.Steps.Single(s => s.Step == MixedDay.NextCaseStep);
        var save = day.Steps.Single(s => s.Step == MixedDay.SaveStep);
        var requests = day.Steps.Sum(s => s.Rps);
        var (hostCores, generatorCores) = ScenarioCpu.Cores(run, Name);
        run.MixedDay = new MixedDayFigures(run.CallCenter!.Agents.Count, day.Total.Rps, requests, day.Total.FailPercent, nextCase.Latency.P99Ms, save.Latency.P99Ms);
        var answered = nextCase.Ok + nextCase.Failed;
        var empty = nextCase.StatusCodes.TryGetValue(204, out var n) ? n : 0;
        run.Goals.Add(new GoalLine(
            $"the campaign does not run dry during the mixed day (at most {DryShare:0%} of next-case answers are 204)",
            answered > 0 && (double)empty / answered <= DryShare ? GoalVerdict.Pass : GoalVerdict.Fail,
            string.Create(CultureInfo.InvariantCulture, $"{empty:N0} of {answered:N0} next-case answers were 204 (nothing eligible); {run.CallCenter!.CasesCreated:N0} cases for {run.CallCenter.Agents.Count:N0} agents"),
            Correctness: true));
        run.Goals.Add(new GoalLine(
            "mixed day runs without failures (fail% <= 1)",
            day.Total.FailPercent <= 1 ? GoalVerdict.Pass : GoalVerdict.Fail,
            string.Create(
                CultureInfo.InvariantCulture,
                $"{day.Total.Rps:N0} agent cycles/s, {requests:N0} requests/s over {day.Steps.Count} kinds; next-case p99 {nextCase.Latency.P99Ms:0.##} ms, case save p99 {save.Latency.P99Ms:0.##} ms; fail {day.Total.FailPercent:0.##}%; host used {hostCores:0.00} cores, this generator {generatorCores:0.00}"),
            Correctness: true));
        run.Notes.Add(new ReportNote("Mixed day: requests per kind", [
            "| request | per second | share |",
            "|---|---:|---:|",
            .. day.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"| {s.Step} | {s.Rps:N1} | {(requests > 0 ? s.Rps / requests : 0):0.0%} |")),
        ]));
    }
}
