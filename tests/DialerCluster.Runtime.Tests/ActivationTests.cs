using DialerCluster.Runtime.Tests.Support;

namespace DialerCluster.Runtime.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task First_call_activates_and_a_key_keeps_its_activation()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("a");

        Assert.Equal(1, await grain.CallAsync(static (g, _) => g.Increment()));
        Assert.Equal(2, await grain.CallAsync(static (g, _) => g.Increment()));
        Assert.Equal(1, rt.Journal.Activated);
        Assert.Equal(1, rt.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Different_keys_are_different_activations()
    {
        await using var rt = new TestRuntime();
        await rt.Get<CounterGrain>("a").CallAsync(static (g, _) => g.Increment());
        var b = await rt.Get<CounterGrain>("b").CallAsync(static (g, _) => g.Increment());

        Assert.Equal(1, b);
        Assert.Equal(2, rt.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Many_callers_hitting_a_cold_id_create_exactly_one_activation()
    {
        await using var rt = new TestRuntime();
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await rt.Get<CounterGrain>("cold").CallAsync(static (g, _) => g.Increment());
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, rt.Journal.Constructed);
        Assert.Equal(1, rt.Journal.Activated);
        Assert.Equal(Enumerable.Range(1, 64), results.Order());
    }

    [Fact]
    public async Task Failing_activation_fails_the_call_leaves_nothing_registered_and_the_next_call_retries()
    {
        await using var rt = new TestRuntime();
        rt.Journal.FailActivations = 1;
        var grain = rt.Get<CounterGrain>("fragile");

        var failure = await Assert.ThrowsAsync<GrainActivationException>(async () => await grain.CallAsync(static (g, _) => g.Increment()));
        Assert.IsType<InvalidOperationException>(failure.InnerException);
        Assert.Equal(grain.Id, failure.GrainId);
        Assert.Empty(rt.Runtime.Catalog.All);
        Assert.Equal(0, rt.Runtime.ActivationCount);

        Assert.Equal(1, await grain.CallAsync(static (g, _) => g.Increment()));
        Assert.Equal(2, rt.Journal.Constructed);
    }

    [Fact]
    public async Task Calls_queued_behind_a_failing_activation_all_fail_clearly()
    {
        await using var rt = new TestRuntime();
        rt.Journal.FailActivations = 1;
        rt.Journal.ActivationGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grain = rt.Get<CounterGrain>("fragile");

        var calls = Enumerable.Range(0, 10).Select(_ => grain.CallAsync(static (g, _) => g.Increment()).AsTask()).ToArray();
        rt.Journal.ActivationGate.SetResult();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<GrainActivationException>(() => call);
        }

        Assert.Empty(rt.Runtime.Catalog.All);
    }

    [Fact]
    public async Task Failing_constructor_fails_the_call_and_the_next_call_retries()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<FailingConstructorGrain>("x");

        await Assert.ThrowsAsync<GrainActivationException>(async () => await grain.CallAsync(static (g, _) => g.Hello()));
        Assert.Equal("hello x", await grain.CallAsync(static (g, _) => g.Hello()));
    }

    [Fact]
    public async Task Deactivate_on_idle_ends_the_activation_after_the_turn_and_the_next_call_activates_anew()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("d");
        await grain.CallAsync(static (g, _) => g.Increment());
        await grain.CallAsync(static (g, _) => g.Deactivate());

        await Eventually.True(() => rt.Journal.Deactivated == 1, "the grain deactivated");
        Assert.Equal(DeactivationReason.Requested, rt.Journal.Reasons.Single());
        Assert.Equal(1, await grain.CallAsync(static (g, _) => g.Increment()));
        Assert.Equal(2, rt.Journal.Activated);
    }

    [Fact]
    public async Task Calls_racing_with_deactivation_never_see_two_activations_at_once()
    {
        await using var rt = new TestRuntime();
        var grain = rt.Get<CounterGrain>("churn");
        var callers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var n = 0; n < 300; n++)
            {
                if ((n + i) % 25 == 0)
                {
                    await grain.CallAsync(static (g, _) => g.Deactivate());
                }
                else
                {
                    await grain.CallAsync(static (g, _) => g.IncrementSlowly());
                }
            }
        }));
        await Task.WhenAll(callers);

        Assert.True(rt.Journal.Activated > 1, "the test must really churn activations");
        Assert.Equal(1, rt.Journal.MaxLive);
    }
}
