using System.CommandLine;
using DialerCluster.LoadTests.Cli;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Scenarios;
using DialerCluster.LoadTests.Targets;
using DialerCluster.LoadTests.Tests.Support;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Tests.EndToEnd;

/// <summary>Short real runs against the self-test listener: seconds, loopback only.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _results = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _results.Dispose();

    [Fact]
    public async Task Selftest_writes_markdown_and_csv_reports_and_exits_zero_when_every_threshold_passes()
    {
        var exit = await InvokeAsync("selftest", "--during", "1s", "--rate", "100", "--copies", "2", "--results", _results.Path, "--threshold", "p99 <= 10s");

        Assert.True(exit == 0, $"exit {exit}\n{_output}\n{_error}");
        var folder = Assert.Single(Directory.GetDirectories(_results.Path));
        Assert.EndsWith("-selftest-open+selftest-closed", folder);
        var markdown = await File.ReadAllTextAsync(Path.Combine(folder, "report.md"));
        Assert.Contains("# Load test report: PASS", markdown);
        Assert.Contains("## selftest-open", markdown);
        Assert.Contains("## selftest-closed", markdown);
        Assert.Contains("PASS  rps(selftest-closed) >= 0.5 * rps(selftest-open)", markdown);
        var csv = await File.ReadAllLinesAsync(Path.Combine(folder, "report.csv"));
        Assert.Equal(
            ["scenario,step", "selftest-open,(all)", "selftest-open,get", "selftest-closed,(all)", "selftest-closed,get"],
            csv.Select(line => string.Join(',', line.Split(',').Take(2))));
        Assert.StartsWith("selftest-open,get,100,0,", csv[2]);
        Assert.Contains("200:100", csv[2]);
    }

    [Fact]
    public async Task A_failed_threshold_makes_the_exit_code_non_zero()
    {
        await using var listener = SelfTestListener.Start();

        var exit = await InvokeAsync("run", "--url", new Uri(listener.BaseUrl, "healthz").ToString(), "--load", "inject:20/1s:1s", "--results", _results.Path, "--threshold", "rps >= 1000000");

        Assert.Equal(1, exit);
        Assert.Contains("FAIL  rps >= 1000000  [probe]", _output.ToString());
        Assert.Contains("# Load test report: FAIL", await File.ReadAllTextAsync(Path.Combine(Assert.Single(Directory.GetDirectories(_results.Path)), "report.md")));
    }

    [Theory]
    [InlineData("http://example.com/healthz", "not loopback")]
    [InlineData("http://10.1.2.3:5000/", "not loopback")]
    public async Task A_non_loopback_target_is_refused_before_anything_is_sent(string url, string reason)
    {
        var exit = await InvokeAsync("run", "--url", url, "--results", _results.Path);

        Assert.Equal(2, exit);
        Assert.Contains("--url", _error.ToString());
        Assert.Contains(reason, _error.ToString());
        Assert.False(Directory.Exists(_results.Path));
    }

    [Theory]
    [InlineData("--threshold", "p99 == 1ms", "threshold")]
    [InlineData("--load", "inject:lots:1s", "--load")]
    [InlineData("--timeout", "2 minutes", "--timeout")]
    [InlineData("--threshold", "rps(storm) >= 1", "'storm'")]
    public async Task Bad_options_exit_with_2_and_name_what_is_wrong(string option, string value, string named)
    {
        var exit = await InvokeAsync("run", "--url", "http://127.0.0.1:1/", option, value, "--results", _results.Path);

        Assert.Equal(2, exit);
        Assert.Contains(named, _error.ToString());
    }

    [Fact]
    public async Task A_missing_url_is_a_parse_error_with_exit_code_2()
    {
        Assert.Equal(2, await InvokeAsync("run"));
        Assert.Contains("--url", _error.ToString());
    }

    [Fact]
    public async Task Several_scenarios_run_in_sequence_through_the_api_and_are_compared()
    {
        await using var listener = SelfTestListener.Start();
        var url = new Uri(listener.BaseUrl, "healthz");
        var plan = new LoadTestPlan(
            [
                ProbeScenario.Create("baseline", url, [LoadSimulation.KeepConstant(2, TimeSpan.FromMilliseconds(2000))], TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)),
                ProbeScenario.Create("paced", url, [LoadSimulation.RampingInject(100, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500)), LoadSimulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500))], TimeSpan.Zero, TimeSpan.FromSeconds(2)),
            ],
            [Threshold.Parse("rps(paced) <= 1.0 * rps(baseline)"), Threshold.Parse("ok(paced) >= 70")]);

        var outcome = await LoadTestRun.ExecuteAsync(plan, TestRuns.Quiet(_results.Path), CancellationToken.None);

        Assert.Equal(["baseline", "paced"], outcome.Report.Scenarios.Select(s => s.Scenario));
        Assert.True(outcome.Report.Passed, string.Join("\n", outcome.Report.Thresholds));
        Assert.Equal(75, outcome.Report.Scenarios[1].Total.Ok);
        Assert.Equal(0, outcome.ExitCode);
        Assert.True(File.Exists(Path.Combine(outcome.ResultsFolder, "report.csv")));
    }

    private Task<int> InvokeAsync(params string[] args) =>
        LoadTestCommands.InvokeAsync([.. args, "--no-progress"], new InvocationConfiguration { Output = _output, Error = _error });
}
