namespace DialerCluster.Runtime.Tests.Support;

public sealed class CounterState
{
    public int Value { get; set; }
}

/// <summary>A grain that counts, reports its lifecycle and can be made to block or fail.</summary>
internal sealed class CounterGrain : Grain
{
    private readonly Journal _journal;
    private int _inTurn;
    private int _readers;

    public CounterGrain(Journal journal)
    {
        _journal = journal;
        Interlocked.Increment(ref journal.Constructed);
    }

    public int Value { get; private set; }

    public List<int> Order { get; } = [];

    public bool Overlapped { get; private set; }

    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_journal.ActivationGate is { } gate)
        {
            await gate.Task;
        }

        if (Interlocked.Decrement(ref _journal.FailActivations) >= 0)
        {
            throw new InvalidOperationException("activation refused by the test");
        }

        Interlocked.Increment(ref _journal.Activated);
        _journal.Live();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        lock (_journal.Reasons)
        {
            _journal.Reasons.Add(reason);
        }

        Interlocked.Increment(ref _journal.Deactivated);
        _journal.Gone();
        return Task.CompletedTask;
    }

    public ValueTask<int> Increment() => ValueTask.FromResult(++Value);

    public async ValueTask<int> IncrementSlowly()
    {
        Enter();
        await Task.Yield();
        Value++;
        Exit();
        return Value;
    }

    public async ValueTask<int> Append(int n, bool waitForGate)
    {
        Enter();
        if (waitForGate)
        {
            await Gate.Task;
        }

        Order.Add(n);
        Exit();
        return n;
    }

    /// <summary>Read-only: waits at the gate while counted as a running reader.</summary>
    public async ValueTask<int> ReadAtGate(Action onEntered)
    {
        Interlocked.Increment(ref _readers);
        if (Volatile.Read(ref _inTurn) != 0)
        {
            Overlapped = true;
        }

        onEntered();
        await Gate.Task;
        Interlocked.Decrement(ref _readers);
        return Value;
    }

    public ValueTask<bool> WasOverlapped() => ValueTask.FromResult(Overlapped);

    public ValueTask<int> Throw(Exception exception) => throw exception;

    public async ValueTask<int> ThrowAfterAwait(Exception exception)
    {
        await Task.Yield();
        throw exception;
    }

    public async ValueTask<int> WaitForCancellation(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public async ValueTask<int> Block(TimeSpan duration)
    {
        await Task.Delay(duration);
        return Value;
    }

    public ValueTask<int> Deactivate()
    {
        DeactivateOnIdle();
        return ValueTask.FromResult(Value);
    }

    public void Enter()
    {
        if (Interlocked.Increment(ref _inTurn) != 1 || Volatile.Read(ref _readers) != 0)
        {
            Overlapped = true;
        }
    }

    public void Exit() => Interlocked.Decrement(ref _inTurn);

    public IDisposable StartTimer(Func<CounterGrain, Task> tick, TimeSpan period, bool keepAlive)
        => RegisterTimer(_ => tick(this), period, period, keepAlive);
}

internal sealed class FailingConstructorGrain : Grain
{
    public static int Attempts;

    public FailingConstructorGrain()
    {
        if (Interlocked.Increment(ref Attempts) == 1)
        {
            throw new InvalidOperationException("constructor refused by the test");
        }
    }

    public ValueTask<string> Hello() => ValueTask.FromResult("hello " + Key);
}

internal sealed class StatefulGrain([PersistentState("counter")] IPersistentState<CounterState> counter, Journal journal) : Grain
{
    public IPersistentState<CounterState> Counter => counter;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref journal.Activated);
        return Task.CompletedTask;
    }

    public ValueTask<int> Get() => ValueTask.FromResult(counter.State.Value);

    public ValueTask<string?> ETag() => ValueTask.FromResult(counter.ETag);

    /// <summary>Changes state without writing it: deactivation must write it.</summary>
    public ValueTask<int> SetUnsaved(int value)
    {
        counter.State.Value = value;
        return ValueTask.FromResult(value);
    }

    public async ValueTask<string?> Save(int value)
    {
        counter.State.Value = value;
        await counter.WriteStateAsync();
        return counter.ETag;
    }

    public async ValueTask<bool> Clear()
    {
        await counter.ClearStateAsync();
        return counter.RecordExists;
    }
}
