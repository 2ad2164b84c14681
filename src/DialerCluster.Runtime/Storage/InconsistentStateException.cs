namespace DialerCluster.Runtime;

/// <summary>
/// A version-checked write found another version than the one it expected. The activation that
/// hit it is deactivated so that the next call re-reads the stored state (Orleans's behaviour)
/// instead of retrying blindly over someone else's write.
/// </summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message, string? storedETag, string? currentETag, Exception? inner = null)
        : base(message, inner)
    {
        StoredETag = storedETag;
        CurrentETag = currentETag;
    }

    /// <summary>The version found in storage (null when no record exists).</summary>
    public string? StoredETag { get; }

    /// <summary>The version the writer expected.</summary>
    public string? CurrentETag { get; }
}
