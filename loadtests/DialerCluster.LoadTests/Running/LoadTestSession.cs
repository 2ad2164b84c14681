using System.Runtime.InteropServices;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Running;

/// <summary>
/// Scenarios run one at a time when the next one depends on what the last one measured (an open-model run at 70%
/// of the maximum a closed-model run found), then one report: thresholds judged over all of them, notes appended.
/// <see cref="LoadTestRun"/> is the fixed-plan shortcut.
/// </summary>
internal sealed class LoadTestSession : IDisposable
{
    private readonly RunSettings _settings;
    private readonly HttpClient? _owned;
    private readonly List<Scenario> _scenarios = [];
    private readonly List<ScenarioReport> _reports = [];

    /// <param name="http">The client every scenario shares (loopback-only unless a test passes its own); null: one is made.</param>
    public LoadTestSession(RunSettings settings, HttpClient? http = null)
    {
        settings.Validate();
        _settings = settings;
        _owned = http is null ? Targets.LoopbackTarget.CreateHttpClient() : null;
        Http = http ?? _owned!;
    }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public HttpClient Http { get; }

    public RunSettings Settings => _settings;

    public IReadOnlyList<ScenarioReport> Reports => _reports;

    /// <summary>Checked before anything is sent: the scenario itself, and that its name is new in this session.</summary>
    public void Check(Scenario scenario)
    {
        scenario.Validate();
        if (_scenarios.Any(s => string.Equals(s.Name, scenario.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new BadInputException("scenarios", $"scenario name '{scenario.Name}' is used twice; thresholds could not tell them apart");
        }
    }

    public async Task<ScenarioReport> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        Check(scenario);
        _scenarios.Add(scenario);
        if (_settings.Progress is { } progress)
        {
            await progress.WriteLineAsync($"scenario {scenario.Name}: {string.Join(", then ", scenario.Load.Select(l => l.Describe()))}; warm-up {DurationText.Format(scenario.WarmUp)}");
        }

        var report = await new ScenarioRunner(scenario, _settings, Http).RunAsync(cancellationToken);
        _reports.Add(report);
        return report;
    }

    /// <summary>Judges <paramref name="thresholds"/> over every scenario run so far and writes report.md and report.csv.</summary>
    public RunOutcome Finish(IReadOnlyList<Threshold> thresholds, IReadOnlyList<ReportNote>? notes = null)
    {
        ThresholdEvaluator.Validate(thresholds, _scenarios);
        var report = new RunReport(StartedAt, Machine(), [.. _reports], ThresholdEvaluator.Evaluate(thresholds, _reports)) { Notes = notes ?? [] };
        return new RunOutcome(report, ResultsFolder.Write(report, _settings.ResultsRoot));
    }

    public void Dispose() => _owned?.Dispose();

    internal static string Machine() =>
        $"{Environment.MachineName}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
