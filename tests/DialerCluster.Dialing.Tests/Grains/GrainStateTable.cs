using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Orleans.Storage;

namespace DialerCluster.Dialing.Tests.Grains;

/// <summary>
/// Grain storage for the grain tests: JSON by property name (as the real storage writes it), ETag-checked, kept by
/// state name and grain key, and shared by a world's restarted silos as a database would be.
/// </summary>
internal sealed class GrainStateTable : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(string State, string Key), (string ETag, string Json)> _rows = new();
    private long _versions;

    public int Writes => (int)Interlocked.Read(ref _versions);

    public T? Read<T>(string stateName, GrainId grainId) =>
        _rows.TryGetValue((stateName, grainId.Key.ToString()!), out var row) ? JsonSerializer.Deserialize<T>(row.Json, Json) : default;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((stateName, grainId.Key.ToString()!), out var row))
        {
            grainState.State = JsonSerializer.Deserialize<T>(row.Json, Json)!;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId.Key.ToString()!);
        lock (_rows)
        {
            var stored = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException($"state {stateName} of {grainId} was written meanwhile", stored, grainState.ETag);
            }

            var etag = Interlocked.Increment(ref _versions).ToString(CultureInfo.InvariantCulture);
            _rows[key] = (etag, JsonSerializer.Serialize(grainState.State, Json));
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _rows.TryRemove((stateName, grainId.Key.ToString()!), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
