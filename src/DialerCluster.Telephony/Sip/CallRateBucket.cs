namespace DialerCluster.Telephony.Sip;

/// <summary>
/// A token bucket toward the trunk (carriers cap call attempts per second): <see cref="WaitAsync"/> returns at once
/// while tokens are left and otherwise waits its turn, first come first served, so pacing that asks for more lines
/// than the trunk allows is held back rather than refused. Written as the equivalent virtual-scheduling form (GCRA):
/// each dial reserves the next slot, and the burst lets a tenth of a second's worth through at once.
/// </summary>
/// <remarks>On a <see cref="TimeProvider"/>, so tests drive it with a virtual clock. A reservation whose wait is cancelled
/// is not given back: a cancelled dial costs the trunk a slot, never more than the rate.</remarks>
internal sealed class CallRateBucket
{
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _burstWindow;
    private readonly Lock _gate = new();
    private long _theoreticalArrival;

    public CallRateBucket(double callsPerSecond, TimeProvider time)
    {
        if (!(callsPerSecond > 0) || double.IsInfinity(callsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(callsPerSecond), callsPerSecond, "MaxCallsPerSecond must be a positive number.");
        }

        _time = time;
        _interval = Math.Max(1, (long)(time.TimestampFrequency / callsPerSecond));
        var burst = Math.Max(1, (long)Math.Ceiling(callsPerSecond / 10));
        _burstWindow = (burst - 1) * _interval;
        _theoreticalArrival = time.GetTimestamp();
    }

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long wait;
        lock (_gate)
        {
            // Admitted at the later of now and the theoretical arrival time less the burst; the next one is due an interval on.
            var now = _time.GetTimestamp();
            var admitted = Math.Max(now, _theoreticalArrival - _burstWindow);
            _theoreticalArrival = Math.Max(_theoreticalArrival, admitted) + _interval;
            wait = admitted - now;
        }

        return wait <= 0
            ? ValueTask.CompletedTask
            : new ValueTask(Task.Delay(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), _time, cancellationToken));
    }
}
