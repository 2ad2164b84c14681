namespace DialerCluster.Runtime;

/// <summary>
/// Base class of every grain: a virtual actor addressed by type and key. The runtime creates it on
/// the first call, runs one turn at a time on it, and deactivates it when idle.
/// </summary>
public abstract class Grain
{
    private readonly Activation _activation;

    protected Grain()
    {
        // The runtime constructs grains inside an activation, so the key is usable in constructors
        // (as GetPrimaryKeyString is in Orleans).
        _activation = Activation.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} can only be created by the grain runtime.");
    }

    public GrainId GrainId => _activation.Id;

    /// <summary>The grain's string key.</summary>
    public string Key => _activation.Id.Key;

    protected IGrainFactory GrainFactory => _activation.Runtime;

    protected TimeProvider TimeProvider => _activation.Runtime.TimeProvider;

    /// <summary>Runs as the first turn of the activation, after persistent state has been read.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs as the last turn of the activation, before its changed persistent state is written.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Registers a timer whose callback runs as a turn of this grain, never concurrently with a call.
    /// The next tick is scheduled only after the previous callback finished, so ticks never pile up.
    /// </summary>
    /// <param name="keepAlive">When true a tick counts as activity and keeps the grain from idle collection.</param>
    protected IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive = false)
        => _activation.RegisterTimer(callback, dueTime, period, keepAlive);

    /// <summary>Deactivates the grain as soon as the current turn ends.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(DeactivationReason.Requested);
}
