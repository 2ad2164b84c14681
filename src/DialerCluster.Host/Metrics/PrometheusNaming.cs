using System.Text;

namespace DialerCluster.Host.Metrics;

/// <summary>
/// Turns OpenTelemetry-style instrument names, units and tag keys into Prometheus names, the way
/// OpenTelemetry's Prometheus exporter does (dots to underscores, unit suffix, <c>_total</c> on counters),
/// plus lower snake case because <c>promtool check metrics</c> rejects camelCase names and labels.
/// </summary>
internal static class PrometheusNaming
{
    public static string MetricName(string instrumentName, string? unit, PrometheusType type)
    {
        var name = Sanitize(instrumentName);
        // A counter gets _total appended after the unit; a gauge must not carry it (promlint rejects it).
        if (name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length];
        }

        var unitSuffix = UnitSuffix(unit, type);
        if (unitSuffix.Length > 0 && !ContainsToken(name, unitSuffix))
        {
            name = $"{name}_{unitSuffix}";
        }

        return type == PrometheusType.Counter ? name + "_total" : name;
    }

    /// <summary>A label name: invalid characters become '_', never a leading digit, never the reserved "__" prefix.</summary>
    public static string LabelName(string tagKey)
    {
        var name = Sanitize(tagKey);
        return name.StartsWith("__", StringComparison.Ordinal) ? name.TrimStart('_').Insert(0, "_") : name;
    }

    /// <summary>UCUM unit to the Prometheus suffix; annotations in braces ("{call}") carry no unit.</summary>
    public static string UnitSuffix(string? unit, PrometheusType type)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        var withoutAnnotations = StripAnnotations(unit).Trim();
        if (withoutAnnotations.Length == 0)
        {
            return "";
        }

        if (withoutAnnotations == "1")
        {
            return type == PrometheusType.Gauge ? "ratio" : "";
        }

        var slash = withoutAnnotations.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var numerator = UnitWord(withoutAnnotations[..slash]);
            var denominator = PerUnitWord(withoutAnnotations[(slash + 1)..]);
            var joined = numerator.Length == 0 ? $"per_{denominator}" : $"{numerator}_per_{denominator}";
            return Sanitize(joined);
        }

        return Sanitize(UnitWord(withoutAnnotations));
    }

    private static string UnitWord(string unit) => unit switch
    {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "%" => "percent",
        _ => unit,
    };

    private static string PerUnitWord(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => UnitWord(unit),
    };

    private static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool ContainsToken(string name, string token)
    {
        // Whole underscore-separated tokens only: "bytes" is in "gc_heap_bytes_used", not in "megabytes".
        var index = 0;
        while ((index = name.IndexOf(token, index, StringComparison.Ordinal)) >= 0)
        {
            var startsToken = index == 0 || name[index - 1] == '_';
            var end = index + token.Length;
            var endsToken = end == name.Length || name[end] == '_';
            if (startsToken && endsToken)
            {
                return true;
            }

            index = end;
        }

        return false;
    }

    /// <summary>
    /// [a-z0-9_] only: camelCase boundaries become '_', other characters (dots, dashes, colons, which
    /// Prometheus keeps for recording rules) become '_', runs of '_' collapse, a leading digit gets '_' before it.
    /// </summary>
    internal static string Sanitize(string raw)
    {
        var builder = new StringBuilder(raw.Length + 4);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            char next;
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                next = c;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                var previous = i > 0 ? raw[i - 1] : '\0';
                var following = i + 1 < raw.Length ? raw[i + 1] : '\0';
                var boundary = char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous)
                    || (char.IsAsciiLetterUpper(previous) && char.IsAsciiLetterLower(following));
                if (boundary)
                {
                    AppendUnderscore(builder);
                }

                next = char.ToLowerInvariant(c);
            }
            else
            {
                AppendUnderscore(builder);
                continue;
            }

            builder.Append(next);
        }

        if (builder.Length == 0)
        {
            return "_";
        }

        if (char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    private static void AppendUnderscore(StringBuilder builder)
    {
        if (builder.Length == 0 || builder[^1] != '_')
        {
            builder.Append('_');
        }
    }
}
