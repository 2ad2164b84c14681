using DialerCluster.Telephony.Simulation;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Rtp;

namespace DialerCluster.Telephony.Tests.Sip;

public sealed class CallRateBucketTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_tenth_of_a_second_of_calls_goes_at_once_then_one_per_interval()
    {
        var clock = new VirtualClock(T0);
        var bucket = new CallRateBucket(50, clock);

        var waits = Enumerable.Range(0, 8).Select(_ => bucket.WaitAsync(CancellationToken.None).AsTask()).ToArray();

        Assert.All(waits[..5], w => Assert.True(w.IsCompleted));
        Assert.All(waits[5..], w => Assert.False(w.IsCompleted));
        clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.True(waits[5].IsCompleted);
        Assert.False(waits[6].IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.All(waits, w => Assert.True(w.IsCompleted));
    }

    [Fact]
    public void Over_a_long_run_the_rate_is_never_exceeded()
    {
        var clock = new VirtualClock(T0);
        var bucket = new CallRateBucket(30, clock);
        var admitted = new List<DateTimeOffset>();
        for (var i = 0; i < 300; i++)
        {
            var wait = bucket.WaitAsync(CancellationToken.None).AsTask();
            while (!wait.IsCompleted)
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }

            admitted.Add(clock.GetUtcNow());
        }

        // Any one-second window holds at most a second of calls plus the burst.
        for (var i = 0; i + 34 < admitted.Count; i++)
        {
            Assert.True(admitted[i + 34] - admitted[i] >= TimeSpan.FromSeconds(1), $"35 calls within {admitted[i + 34] - admitted[i]}");
        }
    }

    [Fact]
    public async Task A_waiting_dial_can_be_cancelled()
    {
        var clock = new VirtualClock(T0);
        var bucket = new CallRateBucket(1, clock);
        await bucket.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = bucket.WaitAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void Rtp_ports_are_even_handed_out_least_recently_used_and_run_out()
    {
        var pool = new RtpPortPool(20001, 20008);

        Assert.Equal(3, pool.Capacity);
        Assert.True(pool.TryTake(out var a));
        Assert.True(pool.TryTake(out var b));
        Assert.True(pool.TryTake(out var c));
        Assert.Equal([20002, 20004, 20006], new[] { a, b, c });
        Assert.False(pool.TryTake(out _));
        pool.Return(b);
        pool.Return(b);
        Assert.Equal(1, pool.Available);
        Assert.True(pool.TryTake(out var again));
        Assert.Equal(20004, again);
    }
}
