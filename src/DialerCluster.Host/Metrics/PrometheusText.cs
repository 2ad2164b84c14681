using System.Globalization;
using System.Text;

namespace DialerCluster.Host.Metrics;

/// <summary>Escaping and number formatting of the Prometheus text exposition format 0.0.4.</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>HELP text: backslash and line feed are escaped; quotes stay as they are.</summary>
    public static void AppendHelp(StringBuilder builder, string help)
    {
        foreach (var c in help)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': break;
                default: builder.Append(c); break;
            }
        }
    }

    /// <summary>Label value: backslash, double quote and line feed are escaped.</summary>
    public static void AppendLabelValue(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                default: builder.Append(c); break;
            }
        }
    }

    public static void AppendNumber(StringBuilder builder, double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            builder.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            builder.Append("-Inf");
        }
        else if (double.IsNaN(value))
        {
            builder.Append("NaN");
        }
        else
        {
            builder.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    public static void AppendNumber(StringBuilder builder, long value) =>
        builder.Append(value.ToString(CultureInfo.InvariantCulture));

    public static void AppendHeader(StringBuilder builder, string name, string help, PrometheusType type)
    {
        builder.Append("# HELP ").Append(name).Append(' ');
        AppendHelp(builder, help);
        builder.Append('\n');
        builder.Append("# TYPE ").Append(name).Append(' ').Append(type switch
        {
            PrometheusType.Counter => "counter",
            PrometheusType.Gauge => "gauge",
            PrometheusType.Histogram => "histogram",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown Prometheus type"),
        }).Append('\n');
    }

    /// <summary>
    /// One sample line. <paramref name="labels"/> is the pre-rendered label list without braces;
    /// <paramref name="extraLabel"/> (the histogram's le="…") is appended after it.
    /// </summary>
    public static void AppendSampleStart(StringBuilder builder, string name, string labels, string? extraLabel = null)
    {
        builder.Append(name);
        if (labels.Length == 0 && extraLabel is null)
        {
            builder.Append(' ');
            return;
        }

        builder.Append('{').Append(labels);
        if (extraLabel is not null)
        {
            if (labels.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(extraLabel);
        }

        builder.Append("} ");
    }

    public static string FormatTagValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
