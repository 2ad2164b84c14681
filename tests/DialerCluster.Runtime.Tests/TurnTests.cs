using DialerCluster.Runtime.Tests.Support;

namespace DialerCluster.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task Calls_on_one_activation_never_overlap()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("t");
        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await grain.CallAsync(static (g, _) => g.IncrementSlowly());
            }
        }));
        await Task.WhenAll(callers);

        Assert.False(await grain.CallAsync(static (g, _) => g.WasOverlapped()));
        Assert.Equal(16 * 200, await grain.CallAsync(static (g, _) => g.Increment()) - 1);
    }

    [Fact]
    public async Task Calls_run_in_arrival_order()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("order");
        await grain.CallAsync(static (g, _) => g.Increment());
        var blocker = grain.CallAsync(0, static (g, _, _) => g.Append(0, waitForGate: true));
        var queued = Enumerable.Range(1, 100).Select(n => grain.CallAsync(n, static (g, n, _) => g.Append(n, waitForGate: false)).AsTask()).ToArray();

        rt.Live(grain).Gate.SetResult();
        await blocker;
        await Task.WhenAll(queued);

        var order = await grain.CallAsync(static (g, _) => ValueTask.FromResult(g.Order.ToArray()));
        Assert.Equal(Enumerable.Range(0, 101), order);
    }

    [Fact]
    public async Task Read_only_calls_may_overlap_each_other()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("readers");
        await grain.CallAsync(static (g, _) => g.Increment());
        var entered = 0;
        void Enter() => Interlocked.Increment(ref entered);

        var first = grain.ReadAsync<Action, int>(Enter, static (g, e, _) => g.ReadAtGate(e)).AsTask();
        var second = grain.ReadAsync<Action, int>(Enter, static (g, e, _) => g.ReadAtGate(e)).AsTask();

        // Both readers are inside the grain at once, held at the gate.
        await Eventually.True(() => Volatile.Read(ref entered) == 2, "both read-only calls are running together");
        rt.Live(grain).Gate.SetResult();
        Assert.Equal(1, await first);
        Assert.Equal(1, await second);
    }

    [Fact]
    public async Task An_ordinary_call_waits_for_running_read_only_calls_and_later_reads_do_not_overtake_it()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("rw");
        await grain.CallAsync(static (g, _) => g.Increment());
        var entered = 0;

        var reader = grain.ReadAsync<Action, int>(() => Interlocked.Increment(ref entered), static (g, e, _) => g.ReadAtGate(e)).AsTask();
        await Eventually.True(() => Volatile.Read(ref entered) == 1, "the reader is running");
        var writer = grain.CallAsync(static (g, _) => g.IncrementSlowly()).AsTask();
        var lateReader = grain.ReadAsync(static (g, _) => ValueTask.FromResult(g.Value)).AsTask();
        await Task.Delay(100);
        Assert.False(writer.IsCompleted, "the ordinary call must wait for the running reader");
        Assert.False(lateReader.IsCompleted, "a read queued behind an ordinary call must not overtake it");

        rt.Live(grain).Gate.SetResult();

        Assert.Equal(1, await reader);
        Assert.Equal(2, await writer);
        Assert.Equal(2, await lateReader);
        Assert.False(await grain.CallAsync(static (g, _) => g.WasOverlapped()));
    }

    [Fact]
    public async Task A_grain_exception_reaches_the_caller_unchanged_and_the_activation_lives_on()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("e");
        await grain.CallAsync(static (g, _) => g.Increment());
        var thrown = new ArgumentException("bad argument", "field");

        var caught = await Assert.ThrowsAsync<ArgumentException>(async () => await grain.CallAsync(thrown, static (g, e, _) => g.Throw(e)));
        Assert.Same(thrown, caught);
        var afterAwait = new FormatException("late");
        Assert.Same(afterAwait, await Assert.ThrowsAsync<FormatException>(async () => await grain.CallAsync(afterAwait, static (g, e, _) => g.ThrowAfterAwait(e))));

        Assert.Equal(2, await grain.CallAsync(static (g, _) => g.Increment()));
        Assert.Equal(1, rt.Journal.Activated);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_the_call_and_reaches_the_grain()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("c");
        await grain.CallAsync(static (g, _) => g.Increment());

        using var cts = new CancellationTokenSource();
        var call = grain.CallAsync(static (g, ct) => g.WaitForCancellation(ct), cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await grain.CallAsync(static (g, _) => g.Increment(), cts.Token));
        Assert.Equal(2, await grain.CallAsync(static (g, _) => g.Increment()));
    }

    [Fact]
    public async Task A_call_past_its_deadline_times_out_and_a_queued_call_past_its_deadline_never_runs()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("deadline");
        await grain.CallAsync(static (g, _) => g.Increment());

        var slow = grain.WithTimeout(TimeSpan.FromMilliseconds(100)).CallAsync(static (g, _) => g.Block(TimeSpan.FromMilliseconds(600))).AsTask();
        var queued = grain.WithTimeout(TimeSpan.FromMilliseconds(100)).CallAsync(static (g, _) => g.Increment()).AsTask();

        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => slow);
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => queued);
        // The blocked turn finishes on its own; the expired queued increment must have been dropped.
        Assert.Equal(2, await grain.CallAsync(static (g, _) => g.Increment()));
    }

    [Fact]
    public async Task A_one_way_call_runs_as_a_turn_without_the_caller_waiting()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("tell");
        grain.Tell(5, static async (g, n, _) => { for (var i = 0; i < n; i++) { await g.IncrementSlowly(); } });

        await Eventually.True(() => rt.Runtime.ActivationCount == 1, "the one-way call activated the grain");
        await Eventually.TrueAsync(async () => await grain.CallAsync(static (g, _) => ValueTask.FromResult(g.Value)) == 5, "the one-way call ran");
    }
}
