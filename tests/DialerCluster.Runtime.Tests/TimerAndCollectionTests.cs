using DialerCluster.Runtime.Tests.Support;

namespace DialerCluster.Runtime.Tests;

public sealed class TimerAndCollectionTests
{
    [Fact]
    public void Collection_defaults_follow_orleans()
    {
        var options = new GrainRuntimeOptions();
        Assert.Equal(TimeSpan.FromMinutes(15), options.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CollectionQuantum);
    }

    [Fact]
    public async Task Timer_ticks_run_as_turns_and_never_overlap_calls()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("timer");
        var ticks = 0;
        await grain.CallAsync(static (g, _) => g.Increment());
        await grain.CallAsync<Action, bool>(() => Interlocked.Increment(ref ticks), static (g, onTick, _) =>
        {
            g.StartTimer(async self => { self.Enter(); await Task.Yield(); onTick(); self.Exit(); }, TimeSpan.FromMilliseconds(1), keepAlive: false);
            return ValueTask.FromResult(true);
        });

        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref ticks) < 50)
            {
                await grain.CallAsync(static (g, _) => g.IncrementSlowly());
            }
        }));
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(await grain.CallAsync(static (g, _) => g.WasOverlapped()));
    }

    [Fact]
    public async Task Idle_activations_are_collected_with_their_changed_state_written_first()
    {
        await using var rt = new TestRuntime(o => { o.CollectionAge = TimeSpan.FromMilliseconds(200); o.CollectionQuantum = TimeSpan.FromMilliseconds(50); });
        var grain = rt.Get<StatefulGrain>("idle");
        await grain.CallAsync(static (g, _) => g.SetUnsaved(42));

        await Eventually.True(() => rt.Runtime.ActivationCount == 0, "the idle grain was collected");
        var stored = await rt.Storage.ReadAsync("counter", grain.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(42, await grain.CallAsync(static (g, _) => g.Get()));
        Assert.Equal(2, rt.Journal.Activated);
    }

    [Fact]
    public async Task Busy_activations_are_not_collected()
    {
        // The age is generous against the call spacing so that a stalled CI machine cannot fake idleness.
        await using var rt = new TestRuntime(o => { o.CollectionAge = TimeSpan.FromSeconds(2); o.CollectionQuantum = TimeSpan.FromMilliseconds(50); });
        var grain = rt.Get<CounterGrain>("busy");
        var until = DateTime.UtcNow.AddMilliseconds(3000);
        while (DateTime.UtcNow < until)
        {
            await grain.CallAsync(static (g, _) => g.Increment());
            await Task.Delay(20);
        }

        Assert.Equal(0, rt.Journal.Deactivated);
    }

    [Fact]
    public async Task A_keep_alive_timer_keeps_its_grain_alive_and_an_ordinary_timer_does_not()
    {
        await using var rt = new TestRuntime(o => { o.CollectionAge = TimeSpan.FromMilliseconds(200); o.CollectionQuantum = TimeSpan.FromMilliseconds(50); });
        var kept = rt.Get<CounterGrain>("kept");
        var plain = rt.Get<CounterGrain>("plain");
        await kept.CallAsync(static (g, _) => { g.StartTimer(static _ => Task.CompletedTask, TimeSpan.FromMilliseconds(20), keepAlive: true); return ValueTask.FromResult(0); });
        await plain.CallAsync(static (g, _) => { g.StartTimer(static _ => Task.CompletedTask, TimeSpan.FromMilliseconds(20), keepAlive: false); return ValueTask.FromResult(0); });

        await Eventually.True(() => rt.Journal.Deactivated == 1, "the grain with an ordinary timer was collected");
        await Task.Delay(400);
        Assert.Equal(1, rt.Runtime.ActivationCount);
        Assert.Single(rt.Runtime.Catalog.All, a => a.Id == kept.Id);
    }
}
