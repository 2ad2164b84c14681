using System.CommandLine;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Cli;

/// <summary>Options every load command shares; a scenario command adds its own and calls <see cref="ExecuteAsync"/>.</summary>
internal sealed class RunOptions
{
    public Option<string> WarmUp { get; } = new("--warm-up") { Description = "First part of the load not counted in the stats (e.g. 2s)", DefaultValueFactory = _ => "0s" };

    public Option<string> Timeout { get; } = new("--timeout") { Description = "Step timeout; a timed-out step is recorded failed at this latency (at most 60s)", DefaultValueFactory = _ => "5s" };

    public Option<string> LateAfter { get; } = new("--late-after") { Description = "An open-model arrival started later than this after its due time counts as a late start", DefaultValueFactory = _ => "5ms" };

    public Option<int> MaxInFlight { get; } = new("--max-in-flight") { Description = "Open-model arrivals beyond this many in flight are not sent and are counted as dropped", DefaultValueFactory = _ => 10_000 };

    public Option<string[]> Thresholds { get; } = new("--threshold") { Description = "Goal printed as PASS/FAIL, repeatable: \"p99 <= 10ms\", \"fail% <= 1\", \"rps >= 500\", \"rps(a) >= 0.5 * rps(b)\"" };

    public Option<string> Results { get; } = new("--results") { Description = "Folder that receives <timestamp>-<scenario>/report.md and report.csv", DefaultValueFactory = _ => Path.Combine("loadtests", "results") };

    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Do not print the live progress line" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { WarmUp, Timeout, LateAfter, MaxInFlight, Thresholds, Results, NoProgress })
        {
            command.Options.Add(option);
        }
    }

    public TimeSpan WarmUpOf(ParseResult parse) => DurationText.Parse(parse.GetValue(WarmUp), WarmUp.Name);

    public TimeSpan TimeoutOf(ParseResult parse) => DurationText.Parse(parse.GetValue(Timeout), Timeout.Name);

    public IReadOnlyList<Threshold> ThresholdsOf(ParseResult parse) =>
        [.. (parse.GetValue(Thresholds) ?? []).Select(Threshold.Parse)];

    public RunSettings SettingsOf(ParseResult parse) => new()
    {
        LateStartThreshold = DurationText.Parse(parse.GetValue(LateAfter), LateAfter.Name),
        MaxInFlight = parse.GetValue(MaxInFlight),
        ResultsRoot = parse.GetValue(Results) ?? string.Empty,
        Progress = parse.GetValue(NoProgress) ? null : parse.InvocationConfiguration.Error,
        InteractiveProgress = ReferenceEquals(parse.InvocationConfiguration.Error, Console.Error) && !Console.IsOutputRedirected && !Console.IsErrorRedirected,
    };

    /// <summary>Runs the plan, prints the Markdown report and where it went; 0 when every threshold passes, 1 if not, 2 on bad input.</summary>
    public static async Task<int> ExecuteAsync(ParseResult parse, Func<LoadTestPlan> plan, RunSettings settings, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var outcome = await LoadTestRun.ExecuteAsync(plan(), settings, cancellationToken);
            await output.WriteAsync(Reporting.MarkdownReport.Render(outcome.Report));
            await output.WriteLineAsync();
            await output.WriteLineAsync($"report: {Path.Combine(outcome.ResultsFolder, "report.md")} and report.csv");
            return outcome.ExitCode;
        }
        catch (BadInputException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled: no report written");
            return 130;
        }
    }
}
