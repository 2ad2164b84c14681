using System.Text.Json;
using System.Text.Json.Serialization;

namespace DialerCluster.Host.Json;

/// <summary>
/// An enum as its snake_case wire name (the domain's own table, e.g. <c>in_acquisition</c>). An unknown
/// name fails with a reason listing the allowed ones; the error handler names the JSON field it was in.
/// </summary>
internal sealed class WireEnumConverter<TEnum>(
    Func<TEnum, string> toWire,
    TryParseWire<TEnum> tryParse,
    IReadOnlyList<string> names) : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private readonly string _oneOf = string.Join(", ", names);

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"must be a string, one of {_oneOf}");
        }

        var text = reader.GetString();
        return tryParse(text, out var value) ? value : throw new JsonException($"'{text}' is not one of {_oneOf}");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(toWire(value));
}

internal delegate bool TryParseWire<TEnum>(string? wire, out TEnum value);
