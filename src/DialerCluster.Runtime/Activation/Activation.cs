using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Runtime;

internal enum ActivationStatus
{
    Created,
    Activating,
    Active,
    Deactivated,
}

internal enum Admission
{
    Accepted,

    /// <summary>The activation is going away; wait for <see cref="Activation.Deactivated"/> and look again.</summary>
    Refused,

    /// <summary>The runtime is stopping and creates no new activations.</summary>
    Stopped,
}

/// <summary>
/// The single live instance of a grain and its mailbox. Turns run one at a time in arrival order;
/// read-only turns may overlap each other but never an exclusive one (a FIFO reader/writer gate).
/// An idle activation runs a call inline on the caller's thread, like an uncontended lock; otherwise
/// the call waits in the queue, which is drained on the thread pool.
/// </summary>
internal sealed class Activation : IThreadPoolWorkItem
{
    /// <summary>Set while the runtime runs a grain constructor, so <see cref="Grain"/> finds its activation.</summary>
    [ThreadStatic]
    internal static Activation? Constructing;

    private readonly object _gate = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<IPersistentStateEntry> _states = [];
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<IServiceProvider, Grain> _construct;
    // Who runs and whether the fast path is open, in one word so that an uncontended call costs one
    // compare-and-swap to start and one to end. Blocked means "use the mailbox": not active yet,
    // calls waiting, or deactivation pending. Queue and status changes happen under _gate.
    private const int Exclusive = 1;
    private const int Reader = 2;
    private const int ReaderMask = 0x7FFF << 1;
    private const int Blocked = 1 << 30;
    private int _state = Blocked;
    private ActivationStatus _status = ActivationStatus.Created;
    private bool _drainScheduled;
    private DeactivationReason? _deactivation;
    private long _lastActiveTicks = Environment.TickCount64;

    public Activation(GrainRuntime runtime, GrainId id, string typeName, Func<IServiceProvider, Grain> construct)
    {
        Runtime = runtime;
        Id = id;
        TypeName = typeName;
        _construct = construct;
    }

    public GrainRuntime Runtime { get; }

    public GrainId Id { get; }

    public string TypeName { get; }

    public Grain? Grain { get; private set; }

    /// <summary>Completes once the activation is gone from the catalog (after its state was written).</summary>
    public Task Deactivated => _deactivated.Task;

    public int QueueLength => _queue.Count;

    /// <summary>The fast path: claims the activation for a turn run on the caller's thread, if it is idle.</summary>
    public bool TryStartInline(CallKind kind)
    {
        if (kind == CallKind.Exclusive)
        {
            return Interlocked.CompareExchange(ref _state, Exclusive, 0) == 0;
        }

        var state = Volatile.Read(ref _state);
        while ((state & (Blocked | Exclusive)) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _state, state + Reader, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }

    public Admission TryEnqueue(WorkItem item)
    {
        lock (_gate)
        {
            if (_deactivation is not null || _status == ActivationStatus.Deactivated)
            {
                return Admission.Refused;
            }

            if (_status == ActivationStatus.Created)
            {
                if (Runtime.IsStopping)
                {
                    _status = ActivationStatus.Deactivated;
                    Runtime.Catalog.Remove(this);
                    _deactivated.TrySetResult();
                    return Admission.Stopped;
                }

                // The first call activates: activation is the first turn, so calls queue behind it.
                _status = ActivationStatus.Activating;
                _queue.Enqueue(new ActivateWorkItem());
            }

            _queue.Enqueue(item);
            Interlocked.Or(ref _state, Blocked);
            ScheduleDrainLocked();
            return Admission.Accepted;
        }
    }

    public void EndTurn(WorkItem item) => EndTurn(item.Kind, item.CountsAsActivity);

    public void EndTurn(CallKind kind, bool countsAsActivity = true)
    {
        if (countsAsActivity)
        {
            _lastActiveTicks = Environment.TickCount64;
        }

        // Fast: nobody queued meanwhile, so there is nothing to hand over.
        if (kind == CallKind.Exclusive)
        {
            if (Interlocked.CompareExchange(ref _state, 0, Exclusive) == Exclusive)
            {
                return;
            }
        }
        else
        {
            var state = Volatile.Read(ref _state);
            while ((state & Blocked) == 0)
            {
                var seen = Interlocked.CompareExchange(ref _state, state - Reader, state);
                if (seen == state)
                {
                    return;
                }

                state = seen;
            }
        }

        lock (_gate)
        {
            Interlocked.Add(ref _state, kind == CallKind.Exclusive ? -Exclusive : -Reader);
            ScheduleDrainLocked();
            OpenFastPathIfIdleLocked();
        }
    }

    /// <summary>Drains the mailbox on a thread-pool thread until it is empty or blocked by a running turn.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            WorkItem item;
            lock (_gate)
            {
                if (!CanStartHeadLocked())
                {
                    _drainScheduled = false;
                    OpenFastPathIfIdleLocked();
                    return;
                }

                item = _queue.Dequeue();
                Interlocked.Add(ref _state, item.Kind == CallKind.ReadOnly ? Reader : Exclusive);
            }

            var turn = item.RunAsync(this);
            if (turn.IsCompleted)
            {
                EndTurn(item);
            }
            else
            {
                // The turn went asynchronous: it ends the turn itself when done. An exclusive turn
                // blocks the head of the queue, so the loop stops at the next check; readers continue.
                AwaitTurn(turn, item);
            }
        }
    }

    private async void AwaitTurn(ValueTask turn, WorkItem item)
    {
        try
        {
            await turn;
        }
        finally
        {
            EndTurn(item);
        }
    }

    private bool CanStartHeadLocked()
    {
        var state = Volatile.Read(ref _state);
        if (_queue.Count == 0 || (state & Exclusive) != 0)
        {
            return false;
        }

        return (state & ReaderMask) == 0 || _queue.Peek().Kind == CallKind.ReadOnly;
    }

    /// <summary>Once the mailbox is empty again, calls may take the fast path.</summary>
    private void OpenFastPathIfIdleLocked()
    {
        if (_queue.Count == 0 && _status == ActivationStatus.Active && _deactivation is null)
        {
            Interlocked.And(ref _state, ~Blocked);
        }
    }

    private void ScheduleDrainLocked()
    {
        if (!_drainScheduled && CanStartHeadLocked())
        {
            _drainScheduled = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Queues deactivation behind the calls already waiting; later calls go to the next activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_gate)
        {
            RequestDeactivationLocked(reason);
        }
    }

    private void RequestDeactivationLocked(DeactivationReason reason)
    {
        if (_deactivation is not null || _status is ActivationStatus.Created or ActivationStatus.Deactivated)
        {
            return;
        }

        _deactivation = reason;
        _queue.Enqueue(new DeactivateWorkItem(reason));
        Interlocked.Or(ref _state, Blocked);
        ScheduleDrainLocked();
    }

    /// <summary>Begins idle deactivation if nothing ran for <paramref name="idleAge"/> and nothing waits.</summary>
    public bool TryCollectIfIdle(long nowTicks, TimeSpan idleAge)
    {
        lock (_gate)
        {
            // Claiming the idle word (0 → Blocked) shuts the fast path in the same step, so no call
            // can slip in between the idle check and the deactivation.
            if (_status != ActivationStatus.Active || _deactivation is not null
                || nowTicks - Volatile.Read(ref _lastActiveTicks) < (long)idleAge.TotalMilliseconds
                || Interlocked.CompareExchange(ref _state, Blocked, 0) != 0)
            {
                return false;
            }

            RequestDeactivationLocked(DeactivationReason.Idle);
            return true;
        }
    }

    public void OnCallFailed(Exception exception)
    {
        // Orleans's rule: after a version conflict the activation's state is stale, so it goes away
        // and the next call re-reads instead of writing blindly over someone else's change.
        if (exception is InconsistentStateException)
        {
            RequestDeactivation(DeactivationReason.InconsistentState);
        }
    }

    internal PersistentState<TState> AddState<TState>(string stateName, IGrainStorage storage)
        where TState : new()
    {
        var state = new PersistentState<TState>(stateName, Id, storage);
        _states.Add(state);
        return state;
    }

    internal IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, dueTime, period, keepAlive);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        timer.Start();
        return timer;
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    private async ValueTask ActivateAsync()
    {
        try
        {
            try
            {
                Constructing = this;
                Grain = _construct(Runtime.Services);
            }
            finally
            {
                Constructing = null;
            }

            using var activationTimeout = new CancellationTokenSource(Runtime.Options.ActivationTimeout);
            foreach (var state in _states)
            {
                await state.ReadAsync(activationTimeout.Token);
            }

            await Grain.OnActivateAsync(activationTimeout.Token);
            lock (_gate)
            {
                _status = ActivationStatus.Active;
                _lastActiveTicks = Environment.TickCount64;
                OpenFastPathIfIdleLocked();
            }

            Runtime.Catalog.OnActivated();
        }
        catch (Exception ex)
        {
            // Nothing stays registered: the waiting calls fail, the entry leaves the catalog, and the
            // next call starts a fresh activation.
            var failure = new GrainActivationException(Id, ex);
            WorkItem[] doomed;
            lock (_gate)
            {
                _status = ActivationStatus.Deactivated;
                Interlocked.Or(ref _state, Blocked);
                doomed = _queue.ToArray();
                _queue.Clear();
            }

            DisposeTimers();
            Runtime.Catalog.Remove(this);
            _deactivated.TrySetResult();
            foreach (var item in doomed)
            {
                item.Fail(failure);
            }

            Runtime.Logger.LogWarning(ex, "Activation of {GrainId} failed", Id);
        }
    }

    private async ValueTask DeactivateAsync(DeactivationReason reason)
    {
        DisposeTimers();
        using var timeout = new CancellationTokenSource(Runtime.Options.DeactivationTimeout);
        try
        {
            await Grain!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception ex)
        {
            Runtime.Logger.LogWarning(ex, "OnDeactivateAsync of {GrainId} failed", Id);
        }

        // State is written before the activation leaves the catalog, so the next activation reads it.
        // After a version conflict the in-memory state is the stale one: it is dropped, not written.
        if (reason != DeactivationReason.InconsistentState)
        {
            foreach (var state in _states)
            {
                try
                {
                    if (state.HasUnsavedChanges)
                    {
                        await state.WriteAsync(timeout.Token);
                    }
                }
                catch (Exception ex)
                {
                    Runtime.Logger.LogError(ex, "Writing state {State} of {GrainId} on deactivation failed", state.Name, Id);
                }
            }
        }

        lock (_gate)
        {
            _status = ActivationStatus.Deactivated;
        }

        Runtime.Catalog.Remove(this);
        Runtime.Catalog.OnDeactivated();
        _deactivated.TrySetResult();
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    private sealed class ActivateWorkItem() : WorkItem(CallKind.Exclusive)
    {
        public override ValueTask RunAsync(Activation activation) => activation.ActivateAsync();

        public override void Fail(Exception exception)
        {
        }
    }

    private sealed class DeactivateWorkItem(DeactivationReason reason) : WorkItem(CallKind.Exclusive)
    {
        public override bool CountsAsActivity => false;

        public override ValueTask RunAsync(Activation activation) => activation.DeactivateAsync(reason);

        public override void Fail(Exception exception)
        {
        }
    }
}
