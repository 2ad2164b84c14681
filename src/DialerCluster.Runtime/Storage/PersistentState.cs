using System.Text.Json;

namespace DialerCluster.Runtime;

internal interface IPersistentStateEntry
{
    string Name { get; }

    bool HasUnsavedChanges { get; }

    Task ReadAsync(CancellationToken cancellationToken);

    Task WriteAsync(CancellationToken cancellationToken);
}

/// <summary>
/// State serialized as JSON. The bytes last read or written are kept, so deactivation can tell
/// whether anything changed and skip a needless write.
/// </summary>
internal sealed class PersistentState<TState>(string name, GrainId grainId, IGrainStorage storage) : IPersistentState<TState>, IPersistentStateEntry
    where TState : new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private byte[]? _persisted;

    public string Name { get; } = name;

    public TState State { get; set; } = new();

    public string? ETag { get; private set; }

    public bool RecordExists => ETag is not null;

    public bool HasUnsavedChanges
        => !Serialize(State).AsSpan().SequenceEqual(_persisted ?? Serialize(new TState()));

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(Name, grainId, cancellationToken);
        if (stored is null)
        {
            State = new TState();
            ETag = null;
            _persisted = null;
            return;
        }

        State = JsonSerializer.Deserialize<TState>(stored.Data, Json) ?? new TState();
        ETag = stored.ETag;
        _persisted = stored.Data;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var data = Serialize(State);
        ETag = await storage.WriteAsync(Name, grainId, data, ETag, cancellationToken);
        _persisted = data;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await storage.ClearAsync(Name, grainId, ETag, cancellationToken);
        State = new TState();
        ETag = null;
        _persisted = null;
    }

    Task IPersistentStateEntry.ReadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    Task IPersistentStateEntry.WriteAsync(CancellationToken cancellationToken) => WriteStateAsync(cancellationToken);

    private static byte[] Serialize(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, Json);
}
