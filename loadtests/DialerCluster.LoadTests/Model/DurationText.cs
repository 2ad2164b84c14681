using System.Globalization;

namespace DialerCluster.LoadTests.Model;

/// <summary>Durations as people type them: "500us", "250ms", "1.5s", "2m", "1h" (or a TimeSpan such as "00:00:10").</summary>
internal static class DurationText
{
    public static TimeSpan Parse(string? text, string field)
    {
        if (TryParse(text, out var value))
        {
            return value;
        }

        throw new BadInputException(field, $"'{text}' is not a duration (use e.g. 500ms, 10s, 2m)");
    }

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        (string Suffix, double TicksPerUnit)[] units =
        [
            ("us", TimeSpan.TicksPerMicrosecond), ("µs", TimeSpan.TicksPerMicrosecond), ("ms", TimeSpan.TicksPerMillisecond),
            ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
        ];
        foreach (var (suffix, ticksPerUnit) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed.AsSpan(0, trimmed.Length - suffix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number >= 0 && double.IsFinite(number))
            {
                value = TimeSpan.FromTicks((long)Math.Round(number * ticksPerUnit));
                return true;
            }
        }

        return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }

    public static string Format(TimeSpan value) => value switch
    {
        { Ticks: 0 } => "0s",
        _ when value.Ticks % TimeSpan.TicksPerMinute == 0 && value >= TimeSpan.FromMinutes(1) => $"{(long)value.TotalMinutes}m",
        _ when value.Ticks % TimeSpan.TicksPerSecond == 0 => $"{(long)value.TotalSeconds}s",
        _ when value.Ticks % TimeSpan.TicksPerMillisecond == 0 => $"{(long)value.TotalMilliseconds}ms",
        _ => value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms",
    };
}
