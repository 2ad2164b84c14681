namespace DialerCluster.Storage;

/// <summary>SQLite's <c>PRAGMA synchronous</c> in WAL mode.</summary>
public enum SqliteSyncMode
{
    /// <summary>
    /// fsync the WAL on every commit: a commit survives a power loss or an OS crash, not only a killed
    /// process. The default, because an assignment an agent was told about must never come back.
    /// </summary>
    Full,

    /// <summary>
    /// fsync only at checkpoints: survives a killed process but may lose the last commits on power loss.
    /// Faster; for demos and load tests that say so.
    /// </summary>
    Normal,
}
