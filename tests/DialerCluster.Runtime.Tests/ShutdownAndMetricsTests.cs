using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using DialerCluster.Runtime.Tests.Support;

namespace DialerCluster.Runtime.Tests;

public sealed class ShutdownAndMetricsTests
{
    [Fact]
    public async Task Shutdown_drains_running_turns_writes_state_and_then_refuses_calls()
    {
        await using var rt = new TestRuntime();
        var slow = rt.Get<CounterGrain>("slow");
        var stateful = rt.Get<StatefulGrain>("st");
        await slow.CallAsync(static (g, _) => g.Increment());
        await stateful.CallAsync(static (g, _) => g.SetUnsaved(5));

        var running = slow.CallAsync(static (g, _) => g.Block(TimeSpan.FromMilliseconds(300))).AsTask();
        await rt.Runtime.StopAsync();

        Assert.True(running.IsCompletedSuccessfully, "the running turn finished before shutdown returned");
        Assert.Equal(0, rt.Runtime.ActivationCount);
        Assert.NotNull(await rt.Storage.ReadAsync("counter", stateful.Id, CancellationToken.None));
        Assert.Contains(DeactivationReason.Shutdown, rt.Journal.Reasons);
        await Assert.ThrowsAsync<GrainRuntimeStoppedException>(async () => await slow.CallAsync(static (g, _) => g.Increment()));
    }

    [Fact]
    public async Task Shutdown_is_bounded_by_its_timeout()
    {
        await using var rt = new TestRuntime(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var stuck = rt.Get<CounterGrain>("stuck");
        await stuck.CallAsync(static (g, _) => g.Increment());
        _ = stuck.CallAsync(0, static (g, n, _) => g.Append(n, waitForGate: true));

        var stop = rt.Runtime.StopAsync();
        var finished = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.Same(stop, finished);
    }

    [Fact]
    public async Task Calls_duration_activations_and_mailbox_length_are_measured()
    {
        await using var rt = new TestRuntime();
        var longs = new ConcurrentDictionary<string, long>();
        var histogramCount = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Other tests run in parallel with meters of the same name: listen to this runtime's only.
            if (ReferenceEquals(instrument.Meter, rt.Runtime.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            longs.AddOrUpdate(instrument.Name, value, (_, old) => instrument is Counter<long> ? old + value : value));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref histogramCount));
        listener.Start();

        var grain = rt.Get<CounterGrain>("m");
        for (var i = 0; i < 10; i++)
        {
            await grain.CallAsync(static (g, _) => g.Increment());
        }

        var blocker = grain.CallAsync(0, static (g, n, _) => g.Append(n, waitForGate: true)).AsTask();
        var waiting = Enumerable.Range(1, 3).Select(n => grain.CallAsync(n, static (g, n, _) => g.Append(n, waitForGate: false)).AsTask()).ToArray();
        listener.RecordObservableInstruments();

        Assert.Equal(1, longs[RuntimeInstruments.Activations]);
        Assert.Equal(3, longs[RuntimeInstruments.MailboxLength]);
        rt.Live(grain).Gate.SetResult();
        await blocker;
        await Task.WhenAll(waiting);

        Assert.Equal(14, longs[RuntimeInstruments.Calls]);
        Assert.Equal(14, histogramCount);
    }
}
