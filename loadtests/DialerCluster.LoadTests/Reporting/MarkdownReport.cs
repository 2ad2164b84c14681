using System.Globalization;
using System.Text;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Reporting;

internal static class MarkdownReport
{
    public static string Render(RunReport run)
    {
        var md = new StringBuilder();
        Line(md, $"# Load test report: {(run.Passed ? "PASS" : "FAIL")}");
        Line(md);
        Line(md, $"- started: {run.StartedAt:yyyy-MM-dd HH:mm:ss} UTC");
        Line(md, $"- machine: {run.Machine}");
        Text(md, "- latency runs from each arrival's due time (open model) or the iteration's start (closed model); failed and timed-out requests are included");
        foreach (var scenario in run.Scenarios)
        {
            Line(md);
            Line(md, $"## {scenario.Scenario}");
            Line(md);
            Line(md, $"- load: {scenario.Load}");
            Line(md, $"- warm-up excluded: {DurationText.Format(scenario.WarmUp)}; measured: {DurationText.Format(scenario.Measured)}");
            Line(md, $"- late starts (over {DurationText.Format(scenario.LateStartThreshold)} after due): {scenario.LateStarts}; dropped (over {scenario.MaxInFlight} in flight): {scenario.Dropped}");
            if (scenario.StartLag is { } lag)
            {
                Line(md, $"- start lag (due time to actual start, included in the latencies): p50 {lag.P50Ms:0.###} ms, p99 {lag.P99Ms:0.###} ms, max {lag.MaxMs:0.###} ms");
            }

            Line(md);
            Text(md, "| step | ok | failed | fail % | timeouts | rps | min ms | mean ms | p50 ms | p75 ms | p95 ms | p99 ms | max ms | data |");
            Text(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var row in scenario.Steps.Prepend(scenario.Total))
            {
                var l = row.Latency;
                Line(md, $"| {row.Step} | {row.Ok} | {row.Failed} | {row.FailPercent:0.##} | {row.Timeouts} | {row.Rps:0.#} | {l.MinMs:0.###} | {l.MeanMs:0.###} | {l.P50Ms:0.###} | {l.P75Ms:0.###} | {l.P95Ms:0.###} | {l.P99Ms:0.###} | {l.MaxMs:0.###} | {Bytes(row.Bytes)} |");
            }

            Line(md);
            foreach (var row in scenario.Steps.Where(r => r.StatusCodes.Count > 0))
            {
                Line(md, $"- status codes of {row.Step}: {string.Join(", ", row.StatusCodes.Select(c => $"{(c.Key == 0 ? "other" : c.Key)} × {c.Value}"))}");
            }

            foreach (var row in scenario.Steps.Where(r => r.Errors.Count > 0))
            {
                Line(md, $"- errors of {row.Step}: {string.Join("; ", row.Errors.Select(e => $"{e.Key.ReplaceLineEndings(" ")} × {e.Value}"))}");
            }
        }

        foreach (var note in run.Notes)
        {
            Line(md);
            Line(md, $"## {note.Title}");
            Line(md);
            foreach (var line in note.Lines)
            {
                Text(md, line);
            }
        }

        Line(md);
        Text(md, "## Thresholds");
        Line(md);
        if (run.Thresholds.Count == 0)
        {
            Text(md, "none given");
        }

        foreach (var outcome in run.Thresholds)
        {
            Line(md, $"- `{outcome}`");
        }

        return md.ToString();
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
    };

    private static void Text(StringBuilder md, string text) => md.Append(text).Append('\n');

    private static void Line(StringBuilder md, FormattableString? text = null) =>
        md.Append(text is null ? string.Empty : text.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
