namespace DialerCluster.Runtime;

/// <summary>
/// A reference to a grain. Calls are static lambdas over the grain (plus an explicit argument, so no
/// closure is allocated); each runs as one turn of the single activation for <see cref="Id"/>.
/// Exceptions thrown by the grain reach the caller unchanged.
/// </summary>
public readonly struct GrainRef<TGrain> where TGrain : Grain
{
    private readonly GrainRuntime _runtime;
    private readonly TimeSpan _timeout;

    internal GrainRef(GrainRuntime runtime, GrainId id, TimeSpan timeout)
    {
        _runtime = runtime;
        Id = id;
        _timeout = timeout;
    }

    public GrainId Id { get; }

    /// <summary>A reference whose calls use another deadline than the runtime's default.</summary>
    public GrainRef<TGrain> WithTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return new GrainRef<TGrain>(_runtime, Id, timeout);
    }

    public ValueTask<TResult> CallAsync<TArg, TResult>(TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken = default)
        => _runtime.InvokeAsync(Id, arg, call, CallKind.Exclusive, _timeout, cancellationToken);

    public ValueTask<TResult> CallAsync<TResult>(Func<TGrain, CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken = default)
        => _runtime.InvokeAsync<TGrain, Func<TGrain, CancellationToken, ValueTask<TResult>>, TResult>(Id, call, static (g, c, ct) => c(g, ct), CallKind.Exclusive, _timeout, cancellationToken);

    public async ValueTask CallAsync<TArg>(TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask> call, CancellationToken cancellationToken = default)
        => await _runtime.InvokeAsync<TGrain, (TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask> call), bool>(Id, (arg, call), static async (g, a, ct) => { await a.call(g, a.arg, ct); return true; }, CallKind.Exclusive, _timeout, cancellationToken);

    public async ValueTask CallAsync(Func<TGrain, CancellationToken, ValueTask> call, CancellationToken cancellationToken = default)
        => await _runtime.InvokeAsync<TGrain, Func<TGrain, CancellationToken, ValueTask>, bool>(Id, call, static async (g, c, ct) => { await c(g, ct); return true; }, CallKind.Exclusive, _timeout, cancellationToken);

    /// <summary>
    /// A read-only call: it may overlap other read-only calls on the same activation (opt-in
    /// interleaving, like Orleans's [ReadOnly]) but never an ordinary call. It must not change state.
    /// </summary>
    public ValueTask<TResult> ReadAsync<TResult>(Func<TGrain, CancellationToken, ValueTask<TResult>> read, CancellationToken cancellationToken = default)
        => _runtime.InvokeAsync<TGrain, Func<TGrain, CancellationToken, ValueTask<TResult>>, TResult>(Id, read, static (g, r, ct) => r(g, ct), CallKind.ReadOnly, _timeout, cancellationToken);

    public ValueTask<TResult> ReadAsync<TArg, TResult>(TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask<TResult>> read, CancellationToken cancellationToken = default)
        => _runtime.InvokeAsync(Id, arg, read, CallKind.ReadOnly, _timeout, cancellationToken);

    /// <summary>
    /// A one-way call: queued as an ordinary turn, but the caller does not wait. This is how news
    /// travels up the grain hierarchy without a synchronous call back up (which could deadlock).
    /// Failures are logged.
    /// </summary>
    public void Tell<TArg>(TArg arg, Func<TGrain, TArg, CancellationToken, ValueTask> call)
        => _runtime.Tell(this, arg, call);
}

internal enum CallKind
{
    Exclusive,
    ReadOnly,
}
