namespace DialerCluster.Telephony.Simulation;

/// <summary>
/// A discrete-event clock: time stands still until <see cref="Advance"/> or <see cref="RunUntil"/> moves it, and then
/// jumps from one scheduled event to the next, running each in (time, scheduling order). A <see cref="TimeProvider"/>,
/// so code written against TimeProvider (timers, <c>Task.Delay(…, timeProvider)</c>) runs unchanged on it and a
/// working day passes in seconds.
/// </summary>
/// <remarks>
/// Callbacks run synchronously on the thread that advances the clock. Scheduling is thread-safe; advancing from two
/// threads at once is not supported (a simulation has one driver).
/// </remarks>
public sealed class VirtualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Scheduled, (long Ticks, long Sequence)> _queue = new(EventOrder.Instance);
    private readonly DateTimeOffset _start;
    private long _nowTicks;
    private long _sequence;

    public VirtualClock(DateTimeOffset start)
    {
        _start = start;
        _nowTicks = start.UtcTicks;
    }

    /// <summary>Events scheduled and not yet run (cancelled timers may still be counted until their time passes).</summary>
    public int PendingEvents
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Volatile.Read(ref _nowTicks), TimeSpan.Zero);

    public override long GetTimestamp() => Volatile.Read(ref _nowTicks) - _start.UtcTicks;

    /// <summary>Runs <paramref name="action"/> once, <paramref name="delay"/> from now (zero: at the next advance).</summary>
    public void Schedule(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "delay must not be negative: the past cannot be scheduled.");
        }

        lock (_gate)
        {
            Enqueue(_nowTicks + delay.Ticks, new Scheduled(action, null, 0));
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward by <paramref name="duration"/>, running every event due on the way. Returns how many ran.</summary>
    public int Advance(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must not be negative: time does not run backwards.");
        }

        return RunUntil(GetUtcNow() + duration);
    }

    /// <summary>Runs every event due at or before <paramref name="until"/>, then leaves the clock there. Returns how many ran.</summary>
    public int RunUntil(DateTimeOffset until)
    {
        long target = until.UtcTicks;
        if (target < Volatile.Read(ref _nowTicks))
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "until must not be before now: time does not run backwards.");
        }

        int ran = 0;
        while (true)
        {
            Scheduled next;
            lock (_gate)
            {
                if (!_queue.TryPeek(out next, out var when) || when.Ticks > target)
                {
                    Volatile.Write(ref _nowTicks, target);
                    return ran;
                }

                _queue.Dequeue();
                Volatile.Write(ref _nowTicks, when.Ticks);
            }

            if (next.Run())
            {
                ran++;
            }
        }
    }

    private void Enqueue(long ticks, Scheduled scheduled) =>
        _queue.Enqueue(scheduled, (Math.Max(ticks, _nowTicks), _sequence++));

    private void ScheduleTimer(VirtualTimer timer, long generation, TimeSpan dueTime)
    {
        lock (_gate)
        {
            Enqueue(_nowTicks + dueTime.Ticks, new Scheduled(null, timer, generation));
        }
    }

    private readonly record struct Scheduled(Action? Action, VirtualTimer? Timer, long Generation)
    {
        public bool Run()
        {
            if (Action is not null)
            {
                Action();
                return true;
            }

            return Timer!.Fire(Generation);
        }
    }

    private sealed class EventOrder : IComparer<(long Ticks, long Sequence)>
    {
        public static readonly EventOrder Instance = new();

        public int Compare((long Ticks, long Sequence) x, (long Ticks, long Sequence) y)
        {
            int byTime = x.Ticks.CompareTo(y.Ticks);
            return byTime != 0 ? byTime : x.Sequence.CompareTo(y.Sequence);
        }
    }

    /// <summary>A timer whose firings are clock events; changing or disposing it makes its queued firing stale.</summary>
    private sealed class VirtualTimer(VirtualClock clock, TimerCallback callback, object? state) : ITimer
    {
        private readonly object _gate = new();
        private long _generation;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            long generation;
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                generation = ++_generation;
                _period = period;
            }

            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                if (dueTime < TimeSpan.Zero)
                {
                    throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "dueTime must be non-negative or infinite.");
                }

                clock.ScheduleTimer(this, generation, dueTime);
            }

            return true;
        }

        public bool Fire(long generation)
        {
            TimeSpan period;
            lock (_gate)
            {
                if (_disposed || generation != _generation)
                {
                    return false;
                }

                period = _period;
            }

            if (period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero)
            {
                clock.ScheduleTimer(this, generation, period);
            }

            callback(state);
            return true;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _generation++;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
