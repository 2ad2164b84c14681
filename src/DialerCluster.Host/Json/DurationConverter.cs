using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace DialerCluster.Host.Json;

/// <summary>
/// Durations (hold timeout, retry delays, owner fallback) are written "d.hh:mm:ss" / "hh:mm:ss" and read
/// from that, from ISO 8601 ("PT15M"), or from a number of seconds.
/// </summary>
internal sealed class DurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out var seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new JsonException("is not a usable number of seconds");
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("must be a duration: seconds, \"hh:mm:ss\" or ISO 8601 such as \"PT15M\"");
        }

        var text = reader.GetString()!.Trim();
        if (TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out var span))
        {
            return span;
        }

        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                return XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
            }
            catch (OverflowException)
            {
            }
        }

        throw new JsonException($"'{text}' is not a duration: use seconds, \"hh:mm:ss\" or ISO 8601 such as \"PT15M\"");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));
}
