using System.Globalization;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.InMemory;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Suites;

/// <summary>
/// The next-case storm on one engine: baseline (GET /healthz, as many copies as agents), the closed-model storm at
/// the host's maximum, the open-model storm at 70% of that maximum, then the campaign queue's in-memory rate.
/// </summary>
internal sealed class StormPart(string outcome, bool measureInMemory) : ISuitePart
{
    public const string ClosedName = "next-case";
    public const string OpenName = "next-case-70pct";
    public const double OpenShare = 0.7;
    public const double RatioGoal = 0.5;
    public const double P99GoalMs = 10;
    public const int BigAgents = 10_000;
    public const int BigCases = 1_000_000;
    public const double DurableGoalPerSecond = 5_000;

    private static readonly string RatioThreshold = string.Create(
        CultureInfo.InvariantCulture, $"rps({ClosedName}/{NextCaseStorm.NextCaseStep}) >= {RatioGoal} * rps({BaselineScenario.Name}/{BaselineScenario.Step})");

    private static readonly string P99Threshold = string.Create(
        CultureInfo.InvariantCulture, $"p99({OpenName}/{NextCaseStorm.NextCaseStep}) <= {P99GoalMs}ms");

    private static readonly string DurableThreshold = string.Create(
        CultureInfo.InvariantCulture, $"rps({ClosedName}/{NextCaseStorm.NextCaseStep}) >= {DurableGoalPerSecond}");

    private QueueProbeResult? _inMemory;
    private double _rate;

    public async Task RunAsync(EngineRun run, LoadTestSession session, SuiteSettings settings, CancellationToken cancellationToken)
    {
        var callCenter = run.CallCenter ?? throw new InvalidOperationException("the storm needs a seeded call center");
        var agents = callCenter.Agents.Count;
        await ScenarioCpu.RunAsync(run, session, BaselineScenario.Create(run.Host.BaseUrl, agents, settings.During, settings.WarmUp, settings.StepTimeout), cancellationToken);
        await ScenarioCpu.RunAsync(
            run, session, BaselineScenario.SignedIn(run.Host.BaseUrl, callCenter.SupervisorToken, agents, settings.During, settings.WarmUp, settings.StepTimeout), cancellationToken);
        var closed = await ScenarioCpu.RunAsync(
            run, session, NextCaseStorm.Closed(ClosedName, callCenter, outcome, settings.During, settings.WarmUp, settings.StepTimeout), cancellationToken);

        // At least one arrival a second, so a storm that measured nothing still yields an (empty, failing) open run.
        _rate = Math.Max(1, Math.Round(OpenShare * closed.Steps[0].Rps, 1));
        await ScenarioCpu.RunAsync(
            run, session, NextCaseStorm.Open(OpenName, callCenter, outcome, _rate, settings.During, settings.WarmUp, settings.StepTimeout), cancellationToken);

        if (measureInMemory)
        {
            // After the load, with the host idle: this process's one thread is then not competing with it.
            _inMemory = CampaignQueueProbe.Measure(Math.Max(callCenter.CasesCreated, 1), agents, settings.Smoke ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(2));
        }

        run.Thresholds.Add(Threshold.Parse($"fail%({BaselineScenario.Name}) <= 1"));
        run.Thresholds.Add(Threshold.Parse($"fail%({BaselineScenario.SignedInName}) <= 1"));
        run.Thresholds.Add(Threshold.Parse($"fail%({ClosedName}) <= 1"));
        run.Thresholds.Add(Threshold.Parse($"fail%({OpenName}) <= 1"));
        if (!settings.Smoke)
        {
            run.Thresholds.Add(Threshold.Parse(RatioThreshold));
            if (run.Engine == StorageEngine.Sqlite.Name())
            {
                run.Thresholds.Add(Threshold.Parse(P99Threshold));
            }
        }
    }

    public void Judge(EngineRun run, IReadOnlyList<ScenarioReport> reports, SuiteSettings settings)
    {
        var baseline = reports.Single(r => r.Scenario == BaselineScenario.Name);
        var signedIn = reports.Single(r => r.Scenario == BaselineScenario.SignedInName);
        var closed = reports.Single(r => r.Scenario == ClosedName);
        var open = reports.Single(r => r.Scenario == OpenName);
        var callCenter = run.CallCenter!;
        var (hostCores, generatorCores) = ScenarioCpu.Cores(run, ClosedName);
        var (baselineHostCores, _) = ScenarioCpu.Cores(run, BaselineScenario.Name);
        var figures = new StormFigures(
            callCenter.Agents.Count,
            callCenter.CasesCreated,
            baseline.Steps[0].Rps,
            signedIn.Steps[0].Rps,
            closed.Steps[0].Rps,
            closed.Steps[1].Rps,
            closed.Total.FailPercent,
            _rate,
            open.Steps[0].Latency.P99Ms,
            open.Total.FailPercent,
            hostCores,
            generatorCores,
            baselineHostCores,
            _inMemory);
        run.Storm = figures;
        var isSqlite = run.Engine == StorageEngine.Sqlite.Name();
        var isPostgres = run.Engine == StorageEngine.Postgres.Name();

        var (ratio, ratioWhy) = Judge(run, reports, RatioThreshold);
        run.Goals.Add(new GoalLine(
            string.Create(CultureInfo.InvariantCulture, $"next-case throughput >= {RatioGoal:0%} of the trivial endpoint's on the same host"),
            ratio,
            string.Create(CultureInfo.InvariantCulture, $"next-case {figures.NextCaseRps:N0}/s vs GET /healthz {figures.BaselineRps:N0}/s = {figures.Ratio:0.0%} (counting complete too, {(figures.NextCaseRps + figures.CompleteRps) / Math.Max(1e-9, figures.BaselineRps):0.0%} of the baseline's requests/s); {figures.Agents:N0} copies each; the host used {hostCores:0.00} cores on next-case ({baselineHostCores:0.00} on /healthz), this generator {generatorCores:0.00}"))
        { Why = ratioWhy });

        run.Goals.Add(new GoalLine(
            "where the gap is: the cheapest signed-in API call on the same host",
            GoalVerdict.NotJudged,
            string.Create(CultureInfo.InvariantCulture, $"GET /api/auth/me with a bearer token {figures.SignedInRps:N0}/s = {figures.SignedInRps / Math.Max(1e-9, figures.BaselineRps):0.0%} of /healthz; next-case is {figures.NextCaseRps / Math.Max(1e-9, figures.SignedInRps):0.0%} of it")));

        var (p99, p99Why) = Judge(run, reports, P99Threshold);
        run.Goals.Add(new GoalLine(
            string.Create(CultureInfo.InvariantCulture, $"p99 <= {P99GoalMs} ms at {OpenShare:0%} of the measured maximum (embedded default)"),
            isSqlite ? p99 : GoalVerdict.NotJudged,
            string.Create(CultureInfo.InvariantCulture, $"next-case p99 {figures.OpenNextCaseP99Ms:0.##} ms (p50 {open.Steps[0].Latency.P50Ms:0.##}, max {open.Steps[0].Latency.MaxMs:0.##}) at {figures.OpenRate:N0} arrivals/s, latency from each arrival's due time; start lag p99 {open.StartLag?.P99Ms ?? 0:0.##} ms; fail {figures.OpenFailPercent:0.##}%{(isSqlite ? string.Empty : " (judged on the embedded default only)")}"))
        { Why = isSqlite ? p99Why : null });

        var big = figures.Agents >= BigAgents && figures.Cases >= BigCases;
        var stood = run.Host.IsRunning && run.HealthyAfter && figures.ClosedFailPercent <= 1 && figures.OpenFailPercent <= 1;
        run.Goals.Add(new GoalLine(
            string.Create(CultureInfo.InvariantCulture, $"{BigAgents:N0} agents and {BigCases:N0} cases on one node without falling over"),
            big ? (stood ? GoalVerdict.Pass : GoalVerdict.Fail) : GoalVerdict.NotJudged,
            string.Create(CultureInfo.InvariantCulture, $"{figures.Agents:N0} agents, {figures.Cases:N0} cases; host {(run.Host.IsRunning ? "running" : "EXITED")}, /healthz after the load {(run.HealthyAfter ? "ok" : "NOT answering")}; storm fail {figures.ClosedFailPercent:0.##}% (closed), {figures.OpenFailPercent:0.##}% (open); {Memory(run)}{(big ? string.Empty : $" (judged with --agents {BigAgents} --cases {BigCases})")}")));

        var durable = figures.NextCaseRps;
        var judgeDurable = isPostgres && !settings.Smoke;
        var (durableVerdict, durableWhy) = Judge(run, reports, DurableThreshold);
        run.Goals.Add(new GoalLine(
            string.Create(CultureInfo.InvariantCulture, $"durable next-case assignments >= {DurableGoalPerSecond:N0}/s on PostgreSQL (issue 4)"),
            judgeDurable ? durableVerdict : GoalVerdict.NotJudged,
            string.Create(CultureInfo.InvariantCulture, $"{run.Engine}: {durable:N0} durable assignments/s (next-case answered 200 per second in the closed storm; each answer is sent only after the hold is committed) beside {(_inMemory is null ? "no in-memory figure" : $"in-memory {_inMemory.PerSecond:N0}/s")}"))
        { Why = judgeDurable ? durableWhy : null });

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"- durable next-case assignments on {run.Engine}: **{durable:N0}/s** (closed storm, {figures.Agents:N0} agents, complete outcome `{outcome}`)"),
        };
        if (_inMemory is not null)
        {
            lines.Add($"- in-memory, same run: **{_inMemory.Describe()}**");
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"- open-model run: {figures.OpenRate:N1} arrivals/s offered ({OpenShare:0%} of {figures.NextCaseRps:N1}/s)"));
        run.Notes.Add(new ReportNote("Durable assignments", lines));
    }

    internal static string Memory(EngineRun run) => string.Create(
        CultureInfo.InvariantCulture,
        $"RSS empty {Mib(run.Empty?.ResidentBytes)}, seeded {Mib(run.Seeded?.ResidentBytes)}, peak {Mib(run.Peaks.Resident)}, after {Mib(run.After?.ResidentBytes)}; managed heap seeded {Mib(run.Seeded?.HeapBytes)}, peak {Mib(run.Peaks.Heap)}, after {Mib(run.After?.HeapBytes)}");

    private static string Mib(double? bytes) => bytes is { } b && b > 0 ? HostMetricsSample.Mib(b) : "?";

    /// <summary>A goal judged as a threshold beside the run's own (their fail% limits decide whether its figure is valid).</summary>
    internal static (GoalVerdict Verdict, string? Why) Judge(EngineRun run, IReadOnlyList<ScenarioReport> reports, string threshold)
    {
        var outcome = ThresholdEvaluator.Evaluate([.. run.Thresholds, Threshold.Parse(threshold)], reports)[^1];
        return outcome.Verdict switch
        {
            ThresholdVerdict.Pass => (GoalVerdict.Pass, null),
            ThresholdVerdict.Invalid => (GoalVerdict.Invalid, outcome.Problem),
            _ => (GoalVerdict.Fail, null),
        };
    }
}
