namespace DialerCluster.Runtime;

/// <summary>The grain could not be activated (constructor, state read or OnActivateAsync failed). Nothing stays registered; the next call tries again.</summary>
public sealed class GrainActivationException(GrainId grainId, Exception inner)
    : Exception($"Activation of grain {grainId} failed: {inner.Message}", inner)
{
    public GrainId GrainId { get; } = grainId;
}

/// <summary>The runtime is stopping or stopped and accepts no new calls.</summary>
public sealed class GrainRuntimeStoppedException(GrainId grainId)
    : Exception($"The grain runtime is shutting down; the call to {grainId} was not accepted.")
{
    public GrainId GrainId { get; } = grainId;
}

/// <summary>The call did not complete within its deadline. A call still queued at its deadline never runs.</summary>
public sealed class GrainCallTimeoutException(GrainId grainId, TimeSpan timeout)
    : TimeoutException($"The call to grain {grainId} did not complete within {timeout.TotalMilliseconds:0} ms.")
{
    public GrainId GrainId { get; } = grainId;
}
