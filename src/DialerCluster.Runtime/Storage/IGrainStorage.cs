namespace DialerCluster.Runtime;

/// <summary>A stored grain state: serialized bytes and the version tag they were written with.</summary>
public sealed record StoredGrainState(byte[] Data, string ETag);

/// <summary>
/// A storage provider for <see cref="IPersistentState{TState}"/>. Every write and clear is
/// version-checked: <paramref name="expectedETag"/> null means "no record must exist yet".
/// A mismatch throws <see cref="InconsistentStateException"/>, as Orleans's providers do.
/// </summary>
public interface IGrainStorage
{
    Task<StoredGrainState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken);

    /// <returns>The new ETag.</returns>
    Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken);

    Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken);
}
