using System.Diagnostics;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Running;
using DialerCluster.LoadTests.Tests.Support;

namespace DialerCluster.LoadTests.Tests.Running;

/// <summary>
/// Coordinated omission: a stall must be charged to every request that should have been sent during it. These tests
/// assert lower bounds only (a busy machine can make latencies longer, never shorter), so they don't flake.
/// </summary>
public sealed class CoordinatedOmissionTests
{
    [Fact]
    public async Task Arrivals_due_during_a_500ms_stall_are_recorded_with_their_wait()
    {
        // One arrival every 10 ms; the target serves one request at a time and the first one stalls for 500 ms.
        // The arrival due at t ≤ 250 ms completes after 500 ms, so at least 26 latencies are ≥ 250 ms.
        using var lane = new SemaphoreSlim(1);
        var stalled = 0;
        var scenario = TestRuns.Of(
            "stall",
            async context =>
            {
                await lane.WaitAsync(context.CancellationToken);
                try
                {
                    if (Interlocked.Exchange(ref stalled, 1) == 0)
                    {
                        await Task.Delay(500, context.CancellationToken);
                    }

                    return StepResult.Ok(200);
                }
                finally
                {
                    lane.Release();
                }
            },
            LoadSimulation.Inject(100, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        using var http = new HttpClient();
        var runner = new ScenarioRunner(scenario, TestRuns.Quiet(), http);

        var report = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(100, report.Total.Ok);
        // Counted from 240 ms: the stall's timer may fire a tick early, which must not cost the 26th arrival its count.
        Assert.True(runner.Stats.Total.Latency.CountAtOrAbove(240_000) >= 26, $"only {runner.Stats.Total.Latency.CountAtOrAbove(240_000)} latencies ≥ 240 ms");
        Assert.True(report.Total.Latency.MaxMs >= 495);
    }

    [Fact]
    public async Task A_frozen_harness_charges_the_freeze_to_the_arrivals_it_delayed_and_counts_them_late()
    {
        // The harness itself freezes for 500 ms (a GC pause, a descheduled process): seen from its clock, time jumps.
        // The target answers at once, so measuring from the actual send would show no delay at all; measured from
        // the due time, the 50 arrivals due in the first half of the freeze waited at least 250 ms each.
        var start = Stopwatch.GetTimestamp();
        var freezeAt = Stopwatch.Frequency / 5;
        var freeze = Stopwatch.Frequency / 2;
        long Clock()
        {
            var now = Stopwatch.GetTimestamp();
            return now - start >= freezeAt ? now + freeze : now;
        }

        var scenario = TestRuns.Of("freeze", _ => Task.FromResult(StepResult.Ok(200)), LoadSimulation.Inject(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        using var http = new HttpClient();
        var runner = new ScenarioRunner(scenario, TestRuns.Quiet() with { Clock = Clock }, http);

        var report = await runner.RunAsync(CancellationToken.None);

        Assert.Equal(200, report.Total.Ok);
        Assert.True(runner.Stats.Total.Latency.CountAtOrAbove(250_000) >= 48, $"only {runner.Stats.Total.Latency.CountAtOrAbove(250_000)} latencies ≥ 250 ms");
        Assert.True(report.LateStarts >= 95, $"only {report.LateStarts} late starts");
        Assert.True(report.StartLag!.MaxMs >= 450, $"start lag max {report.StartLag.MaxMs} ms");
    }

    [Fact]
    public async Task The_closed_model_measures_from_each_iteration_actual_start()
    {
        // A copy sends only when its previous iteration is over, so its origin is the real start: 100 ms steps
        // are 100 ms whatever happened before.
        var scenario = TestRuns.Of(
            "closed",
            async context =>
            {
                await Task.Delay(100, context.CancellationToken);
                return StepResult.Ok();
            },
            LoadSimulation.KeepConstant(2, TimeSpan.FromMilliseconds(450)));

        var report = await TestRuns.RunAsync(scenario);

        // At least one: on a starved machine a copy may get only one 100 ms iteration into the 450 ms.
        Assert.InRange(report.Total.Ok, 1, 10);
        // Task.Delay may end a millisecond or two early on a coarse timer tick.
        Assert.True(report.Total.Latency.MinMs >= 95, $"min {report.Total.Latency.MinMs} ms");
        Assert.Null(report.StartLag);
    }
}
