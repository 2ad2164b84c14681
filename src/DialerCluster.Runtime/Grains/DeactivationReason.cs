namespace DialerCluster.Runtime;

public enum DeactivationReason
{
    /// <summary>Idle longer than the collection age.</summary>
    Idle,

    /// <summary>The grain asked for it (DeactivateOnIdle).</summary>
    Requested,

    /// <summary>A version-checked write failed; the next activation re-reads the state.</summary>
    InconsistentState,

    /// <summary>The runtime is shutting down.</summary>
    Shutdown,
}
