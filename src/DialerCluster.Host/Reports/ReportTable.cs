using System.Globalization;

namespace DialerCluster.Host.Reports;

/// <summary>How a column's values are written, on the page and in both exports alike (see <see cref="ReportTable.Text"/>).</summary>
public enum ColumnKind
{
    /// <summary>Words.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Count,

    /// <summary>Up to two decimals, no trailing zeros.</summary>
    Number,

    /// <summary>A percentage, one decimal (12.5 means 12.5 %).</summary>
    Percent,

    /// <summary>Money, two decimals.</summary>
    Money,
}

public sealed record ReportColumn(string Key, string Label, ColumnKind Kind);

public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>What the page draws: "bar" (grouped bars per label) or "line" (a line per series over the labels).</summary>
public sealed record ReportChart(string Type, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series);

/// <summary>
/// A report as it is shown: one table (exported as is, to .csv and .xlsx), a chart of it, and notes saying how it was
/// counted. Cells are strings, whole numbers, doubles or decimals, already rounded as their column's kind says.
/// </summary>
public sealed record ReportTable(
    string Report,
    string Title,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<ReportColumn> Columns,
    IReadOnlyList<IReadOnlyList<object?>> Rows,
    ReportChart Chart,
    IReadOnlyList<string> Notes)
{
    /// <summary>The moment the report was counted up to; an export given it counts the same.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>A cell as the page shows it and the CSV holds it: invariant culture, the column kind's decimals, empty for none.</summary>
    public static string Text(ColumnKind kind, object? value) => value switch
    {
        null => "",
        string text => text,
        _ => kind switch
        {
            ColumnKind.Count => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            ColumnKind.Percent => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("0.0", CultureInfo.InvariantCulture),
            ColumnKind.Money => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture),
            _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("0.##", CultureInfo.InvariantCulture),
        },
    };
}
