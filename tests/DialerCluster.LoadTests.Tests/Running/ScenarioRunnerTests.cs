using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Tests.Support;

namespace DialerCluster.LoadTests.Tests.Running;

public sealed class ScenarioRunnerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_step_that_never_finishes_is_recorded_failed_at_exactly_the_timeout()
    {
        // The step ignores its cancellation token on purpose: the runner must stop waiting on its own.
        // Two copies for five timeouts' time: each records at least one even when a busy machine starts them late.
        var scenario = TestRuns.Of("hang", _ => new TaskCompletionSource<StepResult>().Task, LoadSimulation.KeepConstant(2, TimeSpan.FromMilliseconds(1_000)))
            with { StepTimeout = TimeSpan.FromMilliseconds(200) };

        var report = await TestRuns.RunAsync(scenario);

        var step = report.Steps[0];
        Assert.Equal(0, step.Ok);
        Assert.True(step.Failed >= 2);
        Assert.Equal(step.Failed, step.Timeouts);
        Assert.Equal(100, step.FailPercent);
        Assert.InRange(step.Latency.MinMs, 198, 202);
        Assert.InRange(step.Latency.MaxMs, 198, 202);
        Assert.Contains("timeout after 200ms", step.Errors.Keys);
    }

    [Fact]
    public async Task Open_model_timeouts_are_recorded_every_one_at_least_at_the_timeout()
    {
        var scenario = TestRuns.Of(
            "hang",
            async context =>
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return StepResult.Ok();
            },
            LoadSimulation.Inject(20, Second, Second)) with { StepTimeout = TimeSpan.FromMilliseconds(300) };

        var report = await TestRuns.RunAsync(scenario);

        Assert.Equal(0, report.Total.Ok);
        Assert.Equal(20, report.Total.Failed);
        Assert.Equal(20, report.Total.Timeouts);
        Assert.True(report.Total.Latency.MinMs >= 297);
    }

    [Fact]
    public async Task Arrivals_due_during_the_warm_up_run_but_are_not_counted()
    {
        var calls = 0;
        var scenario = TestRuns.Of(
            "warm",
            _ =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromResult(StepResult.Ok(200, sizeBytes: 10));
            },
            LoadSimulation.Inject(100, Second, Second))
            with { WarmUp = TimeSpan.FromMilliseconds(500) };

        var report = await TestRuns.RunAsync(scenario);

        Assert.Equal(100, calls);
        Assert.Equal(50, report.Total.Ok);
        Assert.Equal(500, report.Total.Bytes);
        Assert.Equal(100, report.Total.Rps, precision: 6);
        Assert.Equal(new Dictionary<int, long> { [200] = 50 }, report.Steps[0].StatusCodes);
    }

    [Fact]
    public async Task Arrivals_beyond_the_in_flight_limit_are_counted_as_dropped_and_as_failures()
    {
        var scenario = TestRuns.Of(
            "busy",
            async context =>
            {
                await Task.Delay(400, context.CancellationToken);
                return StepResult.Ok();
            },
            LoadSimulation.Inject(100, Second, Second));

        var report = await TestRuns.RunAsync(scenario, TestRuns.Quiet() with { MaxInFlight = 5 });

        Assert.Equal(100, report.Total.Ok + report.Dropped);
        Assert.True(report.Dropped >= 80, $"{report.Dropped} dropped");
        Assert.Equal(100.0 * report.Dropped / 100, report.Total.FailPercent, precision: 6);
    }

    [Fact]
    public async Task An_iteration_stops_at_its_first_failed_step()
    {
        var thirdStepRuns = 0;
        var scenario = new Scenario(
            "chain",
            [
                new ScenarioStep("next-case", _ => Task.FromResult(StepResult.Ok(200))),
                new ScenarioStep("complete", _ => throw new InvalidOperationException("case already closed")),
                new ScenarioStep("wrap-up", _ => Task.FromResult(StepResult.Ok(Interlocked.Increment(ref thirdStepRuns)))),
            ])
        { Load = [LoadSimulation.Inject(10, Second, Second)] };

        var report = await TestRuns.RunAsync(scenario);

        Assert.Equal(0, thirdStepRuns);
        Assert.Equal([10L, 0L, 0L], report.Steps.Select(s => s.Ok));
        Assert.Equal([0L, 10L, 0L], report.Steps.Select(s => s.Failed));
        Assert.Equal(10, report.Total.Failed);
        Assert.Contains("complete: InvalidOperationException: case already closed", report.Total.Errors.Keys);
    }

    [Fact]
    public async Task A_closed_copy_keeps_its_data_and_counts_its_iterations_across_phases()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<(long Copy, long Iteration, object? Agent)>();
        var scenario = TestRuns.Of(
            "agents",
            async context =>
            {
                if (!context.Data.ContainsKey("agent"))
                {
                    context.Data["agent"] = $"agent-{context.CopyId}";
                }

                seen.Add((context.CopyId, context.Iteration, context.Data["agent"]));
                await Task.Delay(20, context.CancellationToken);
                return StepResult.Ok();
            },
            LoadSimulation.KeepConstant(3, TimeSpan.FromMilliseconds(200)),
            LoadSimulation.KeepConstant(2, TimeSpan.FromMilliseconds(200)));

        await TestRuns.RunAsync(scenario);

        Assert.Equal([0L, 1L, 2L], seen.Select(s => s.Copy).Distinct().Order());
        Assert.All(seen, s => Assert.Equal($"agent-{s.Copy}", s.Agent));
        foreach (var copy in seen.GroupBy(s => s.Copy))
        {
            Assert.Equal(Enumerable.Range(0, copy.Count()).Select(i => (long)i), copy.Select(s => s.Iteration).Order());
        }
    }

    [Theory]
    [InlineData("", "scenario name")]
    [InlineData("has space", "scenario name")]
    public void A_badly_named_scenario_is_refused_naming_the_field(string name, string field)
    {
        var scenario = TestRuns.Of(name, _ => Task.FromResult(StepResult.Ok()), LoadSimulation.Inject(1, Second, Second));

        var error = Assert.Throws<BadInputException>(scenario.Validate);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_warm_up_as_long_as_the_load_is_refused()
    {
        var scenario = TestRuns.Of("s", _ => Task.FromResult(StepResult.Ok()), LoadSimulation.Inject(1, Second, Second)) with { WarmUp = Second };

        var error = Assert.Throws<BadInputException>(scenario.Validate);
        Assert.Contains("warm-up", error.Message);
    }
}
