using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Tests.Support;
using DialerCluster.LoadTests.Thresholds;

namespace DialerCluster.LoadTests.Tests.Running;

public sealed class LoadTestSessionTests : IDisposable
{
    private readonly TempFolder _results = new();

    public void Dispose() => _results.Dispose();

    [Fact]
    public async Task A_later_scenario_can_be_sized_from_an_earlier_one_and_one_report_judges_both()
    {
        using var http = new HttpClient();
        using var session = new LoadTestSession(TestRuns.Quiet(_results.Path), http);
        var first = await session.RunAsync(TestRuns.Of("closed", _ => Task.FromResult(StepResult.Ok(200)), LoadSimulation.KeepConstant(1, TimeSpan.FromMilliseconds(200))), CancellationToken.None);
        var rate = Math.Min(50, first.Total.Rps);
        await session.RunAsync(TestRuns.Of("open", _ => Task.FromResult(StepResult.Ok(200)), LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))), CancellationToken.None);

        var outcome = session.Finish([Threshold.Parse("rps(open) <= 1.0 * rps(closed)")], [new Reporting.ReportNote("Memory", ["- 1 MiB"])]);

        Assert.True(outcome.Report.Passed, string.Join('\n', outcome.Report.Thresholds));
        Assert.Equal(["closed", "open"], outcome.Report.Scenarios.Select(s => s.Scenario));
        var markdown = await File.ReadAllTextAsync(Path.Combine(outcome.ResultsFolder, "report.md"));
        Assert.Contains("## Memory\n\n- 1 MiB\n", markdown);
    }

    [Fact]
    public async Task A_scenario_name_used_twice_in_a_session_is_refused_before_it_runs()
    {
        using var http = new HttpClient();
        using var session = new LoadTestSession(TestRuns.Quiet(_results.Path), http);
        var calls = 0;
        Scenario Counting() => TestRuns.Of("same", _ => Task.FromResult(StepResult.Ok(Interlocked.Increment(ref calls))), LoadSimulation.KeepConstant(1, TimeSpan.FromMilliseconds(50)));
        await session.RunAsync(Counting(), CancellationToken.None);
        var before = calls;

        var error = await Assert.ThrowsAsync<BadInputException>(() => session.RunAsync(Counting(), CancellationToken.None));

        Assert.Contains("'same' is used twice", error.Message);
        Assert.Equal(before, calls);
    }

    [Fact]
    public async Task A_skipped_step_is_not_recorded_and_the_iteration_goes_on_to_the_next_step()
    {
        var scenario = new Scenario("mixed", [
            new ScenarioStep("sometimes", c => Task.FromResult(c.CopyId % 2 == 0 ? StepResult.Skip() : StepResult.Ok(200))),
            new ScenarioStep("always", _ => Task.FromResult(StepResult.Ok(200))),
        ])
        { Load = [LoadSimulation.Inject(40, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))] };

        var report = await TestRuns.RunAsync(scenario);

        Assert.Equal(20, report.Steps[0].Ok);
        Assert.Equal(40, report.Steps[1].Ok);
        Assert.Equal(40, report.Total.Ok);
        Assert.Equal(0, report.Total.Failed);
    }
}
