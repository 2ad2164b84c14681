using System.Collections.Concurrent;
using System.Globalization;

namespace DialerCluster.Runtime;

/// <summary>Grain storage in process memory, with the same version checks as the database providers.</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), StoredGrainState> _records = new();
    private long _version;

    public Task<StoredGrainState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_records.TryGetValue((stateName, grainId), out var stored)
            ? stored with { Data = stored.Data.ToArray() }
            : null);
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = (stateName, grainId);
        var etag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
        var next = new StoredGrainState(data.ToArray(), etag);
        var written = expectedETag is null
            ? _records.TryAdd(key, next)
            : _records.TryGetValue(key, out var current) && current.ETag == expectedETag && _records.TryUpdate(key, next, current);
        if (!written)
        {
            throw Conflict(stateName, grainId, expectedETag);
        }

        return Task.FromResult(etag);
    }

    public Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = (stateName, grainId);
        if (!_records.TryGetValue(key, out var current))
        {
            return expectedETag is null ? Task.CompletedTask : throw Conflict(stateName, grainId, expectedETag);
        }

        if (current.ETag != expectedETag || !_records.TryRemove(KeyValuePair.Create(key, current)))
        {
            throw Conflict(stateName, grainId, expectedETag);
        }

        return Task.CompletedTask;
    }

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string? expectedETag)
    {
        var stored = _records.TryGetValue((stateName, grainId), out var current) ? current.ETag : null;
        return new InconsistentStateException(
            $"Version conflict writing state '{stateName}' of {grainId}: expected version {expectedETag ?? "none"}, stored {stored ?? "none"}.",
            stored,
            expectedETag);
    }
}
