using System.Globalization;
using System.Net;
using System.Text;

namespace DialerCluster.Host.Tests.Metrics;

/// <summary>One series of a query_range answer: its legend and its samples (unix seconds, value).</summary>
internal sealed record ChartSeries(string Legend, IReadOnlyList<(double Time, double Value)> Points);

/// <summary>
/// A dashboard drawn from real query results, the way Grafana lays it out (24 columns, 30 px per grid row): time
/// series as lines with their threshold dashed in red, stats as one big number. HTML with inline SVG, no scripts, so a
/// headless browser turns it into a PNG a person can open.
/// </summary>
internal static class DashboardPicture
{
    public const int Width = 1600;
    private const int RowHeight = 30;
    private const int Header = 48;
    private static readonly string[] Palette = ["#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#b877d9", "#f2495c", "#8ab8ff", "#fade2a", "#96d98d", "#ffb357"];

    public static int HeightOf(IEnumerable<DashboardPanel> panels) => Header + (panels.Max(p => p.Y + p.Height) * RowHeight) + 16;

    public static string Html(string title, IReadOnlyList<DashboardPanel> panels, IReadOnlyDictionary<string, IReadOnlyList<ChartSeries>> results, string note)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>")
            .Append("body{margin:0;background:#111217;color:#ccccdc;font:13px/1.3 'DejaVu Sans',Arial,sans-serif}")
            .Append("h1{font-size:18px;font-weight:500;margin:0;padding:14px 16px}h1 small{color:#8e8e9a;font-size:12px;margin-left:12px}")
            .Append(".p{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:3px;box-sizing:border-box;overflow:hidden}")
            .Append(".t{font-weight:500;padding:6px 8px 0}.l{position:absolute;bottom:4px;left:8px;right:8px;font-size:11px;white-space:nowrap;overflow:hidden}")
            .Append(".l span{margin-right:12px}.l i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}")
            .Append(".s{font-size:56px;font-weight:500;color:#73bf69;text-align:center;margin-top:36px}.n{color:#8e8e9a;padding:30px 8px}")
            .Append("</style></head><body>")
            .Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("<small>").Append(WebUtility.HtmlEncode(note)).Append("</small></h1>");
        var column = Width / 24.0;
        foreach (var panel in panels)
        {
            var (left, top) = (panel.X * column + 4, Header + (panel.Y * RowHeight) + 4);
            var (width, height) = ((panel.Width * column) - 8, (panel.Height * RowHeight) - 8);
            page.Append(CultureInfo.InvariantCulture, $"<div class=\"p\" style=\"left:{left:0}px;top:{top}px;width:{width:0}px;height:{height}px\">")
                .Append("<div class=\"t\">").Append(WebUtility.HtmlEncode(panel.Title)).Append("</div>");
            var series = panel.Queries.SelectMany(q => results.TryGetValue(panel.KeyOf(q), out var found) ? found : []).ToList();
            if (series.Count == 0)
            {
                page.Append("<div class=\"n\">No data</div>");
            }
            else if (panel.Type == "stat")
            {
                page.Append("<div class=\"s\">").Append(Format(series[0].Points[^1].Value, panel.Unit)).Append("</div>");
            }
            else
            {
                AppendChart(page, panel, series, (int)width, height);
            }

            page.Append("</div>");
        }

        return page.Append("</body></html>").ToString();
    }

    private static void AppendChart(StringBuilder page, DashboardPanel panel, IReadOnlyList<ChartSeries> series, int width, int height)
    {
        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Value)).ToList();
        if (finite.Count == 0)
        {
            page.Append("<div class=\"n\">No finite values</div>");
            return;
        }

        var (t0, t1) = (finite.Min(p => p.Time), finite.Max(p => p.Time));
        var low = Math.Min(0, finite.Min(p => p.Value));
        var high = Math.Max(finite.Max(p => p.Value), panel.Threshold ?? double.MinValue);
        high = high <= low ? low + 1 : high * 1.08;
        const int Left = 64, Top = 6, Bottom = 40;
        var (plotWidth, plotHeight) = (width - Left - 12, height - 28 - Top - Bottom);
        double X(double t) => Left + ((t1 == t0 ? 0.5 : (t - t0) / (t1 - t0)) * plotWidth);
        double Y(double v) => Top + plotHeight - ((v - low) / (high - low) * plotHeight);

        page.Append(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{height - 28}\" font-size=\"10\" fill=\"#8e8e9a\">");
        for (var i = 0; i <= 4; i++)
        {
            var value = low + ((high - low) * i / 4);
            page.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Y(value):0.#}\" y2=\"{Y(value):0.#}\" stroke=\"#2c3235\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Y(value) + 3:0.#}\" text-anchor=\"end\">{Format(value, panel.Unit)}</text>");
        }

        page.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Top + plotHeight + 14}\">{Clock(t0)}</text>")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotWidth}\" y=\"{Top + plotHeight + 14}\" text-anchor=\"end\">{Clock(t1)}</text>");
        if (panel.Threshold is { } threshold)
        {
            page.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{Y(threshold):0.#}\" y2=\"{Y(threshold):0.#}\" stroke=\"#f2495c\" stroke-dasharray=\"6 4\"/>");
        }

        for (var i = 0; i < series.Count; i++)
        {
            var points = string.Join(' ', series[i].Points.Where(p => double.IsFinite(p.Value)).Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Time):0.#},{Y(p.Value):0.#}")));
            page.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Palette[i % Palette.Length]}\" stroke-width=\"2\" points=\"{points}\"/>");
        }

        page.Append("</svg><div class=\"l\">");
        for (var i = 0; i < series.Count; i++)
        {
            var last = series[i].Points.LastOrDefault(p => double.IsFinite(p.Value));
            page.Append("<span><i style=\"background:").Append(Palette[i % Palette.Length]).Append("\"></i>")
                .Append(WebUtility.HtmlEncode(series[i].Legend)).Append(' ').Append(Format(last.Value, panel.Unit)).Append("</span>");
        }

        page.Append("</div>");
    }

    public static string Format(double value, string unit) => unit switch
    {
        "percentunit" => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        "s" when Math.Abs(value) < 1 && value != 0 => (value * 1000).ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        "s" => value.ToString("0.##", CultureInfo.InvariantCulture) + " s",
        "ms" => value.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        "m" => value.ToString("0.#", CultureInfo.InvariantCulture) + " min",
        "bytes" => (value / (1024 * 1024)).ToString("0", CultureInfo.InvariantCulture) + " MiB",
        "reqps" => value.ToString("0.#", CultureInfo.InvariantCulture) + "/s",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Clock(double unixSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(unixSeconds * 1000)).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
