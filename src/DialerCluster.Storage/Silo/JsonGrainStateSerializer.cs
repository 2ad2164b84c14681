using System.Text.Json;
using Orleans.Storage;

namespace DialerCluster.Storage;

/// <summary>
/// Grain state as plain JSON (System.Text.Json, camelCase), with no .NET type names inside.
/// Orleans's default grain storage serializer writes Newtonsoft JSON with "$type" names of the state
/// classes, so renaming a state class or moving it to another namespace would make every stored state
/// unreadable. Here the stored contract is the property names alone, as with the dialer's own JSON
/// columns: a class can be renamed or moved freely, a renamed property needs a [JsonPropertyName].
/// JSON also keeps the rows readable with plain SQL when someone has to look at a grain's state.
/// </summary>
internal sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    /// <summary>A JSON null reads as null, which Orleans replaces with a new default state.</summary>
    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options)!;
}
