using DialerCluster.Telephony.Simulation;

namespace DialerCluster.Telephony.Tests;

public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_stands_still_until_advanced()
    {
        var clock = new VirtualClock(T0);
        bool ran = false;
        clock.Schedule(TimeSpan.FromSeconds(5), () => ran = true);

        Assert.Equal(T0, clock.GetUtcNow());
        Assert.False(ran);
        Assert.Equal(0, clock.Advance(TimeSpan.FromSeconds(4)));
        Assert.False(ran);
        Assert.Equal(1, clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.True(ran);
        Assert.Equal(T0.AddSeconds(5), clock.GetUtcNow());
    }

    [Fact]
    public void Events_run_in_time_order_then_in_scheduling_order_with_the_clock_at_their_time()
    {
        var clock = new VirtualClock(T0);
        var seen = new List<(string, double)>();
        clock.Schedule(TimeSpan.FromSeconds(3), () => seen.Add(("c", (clock.GetUtcNow() - T0).TotalSeconds)));
        clock.Schedule(TimeSpan.FromSeconds(1), () => seen.Add(("a", (clock.GetUtcNow() - T0).TotalSeconds)));
        clock.Schedule(TimeSpan.FromSeconds(1), () => seen.Add(("b", (clock.GetUtcNow() - T0).TotalSeconds)));

        clock.RunUntil(T0.AddMinutes(1));

        Assert.Equal([("a", 1.0), ("b", 1.0), ("c", 3.0)], seen);
        Assert.Equal(T0.AddMinutes(1), clock.GetUtcNow());
    }

    [Fact]
    public void Events_scheduled_by_events_run_in_the_same_advance_when_due()
    {
        var clock = new VirtualClock(T0);
        int count = 0;
        void Tick()
        {
            count++;
            clock.Schedule(TimeSpan.FromSeconds(10), Tick);
        }

        clock.Schedule(TimeSpan.Zero, Tick);
        clock.Advance(TimeSpan.FromHours(8));
        Assert.Equal((8 * 360) + 1, count);
    }

    [Fact]
    public void Periodic_timers_fire_each_period_and_stop_when_disposed()
    {
        var clock = new VirtualClock(T0);
        int fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(4, fired);

        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(4, fired);
    }

    [Fact]
    public void Changing_a_timer_replaces_its_pending_firing()
    {
        var clock = new VirtualClock(T0);
        var firedAt = new List<double>();
        var timer = clock.CreateTimer(_ => firedAt.Add((clock.GetUtcNow() - T0).TotalSeconds), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        timer.Change(TimeSpan.FromSeconds(8), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal([8.0], firedAt);
    }

    [Fact]
    public async Task Task_delay_on_the_virtual_clock_completes_only_when_time_is_advanced()
    {
        var clock = new VirtualClock(T0);
        var delay = Task.Delay(TimeSpan.FromMinutes(30), clock);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(30));
        await delay;
        Assert.Equal(T0.AddMinutes(30), clock.GetUtcNow());
    }

    [Fact]
    public void Time_does_not_run_backwards()
    {
        var clock = new VirtualClock(T0);
        clock.Advance(TimeSpan.FromSeconds(10));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => clock.RunUntil(T0));
        Assert.Equal("until", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Schedule(TimeSpan.FromSeconds(-1), () => { }));
    }
}
