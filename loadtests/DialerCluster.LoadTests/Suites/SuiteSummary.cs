using System.Globalization;
using System.Text;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Running;

namespace DialerCluster.LoadTests.Suites;

/// <summary>One table over every engine of a suite, printed last and written beside the reports as &lt;timestamp&gt;-&lt;command&gt;-summary.md.</summary>
internal static class SuiteSummary
{
    public static string Render(SuiteSettings settings, DateTimeOffset startedAt, IReadOnlyList<EngineRun> runs)
    {
        var md = new StringBuilder();
        var passed = runs.All(r => r.Passed(goalsEnforced: !settings.Smoke));
        Line(md, $"# {settings.Command}: {(passed ? "PASS" : "FAIL")}");
        Line(md);
        Line(md, $"- date: {startedAt:yyyy-MM-dd HH:mm} UTC");
        Line(md, $"- machine: {LoadTestSession.Machine()}");
        Line(md, $"- warm-up {Model.DurationText.Format(settings.WarmUp)}, measured {Model.DurationText.Format(settings.During)} per scenario");
        if (runs.Any(r => r.Storm is not null))
        {
            Line(md);
            Line(md, "| engine | agents | cases | healthz/s | auth/me/s | next-case/s (durable) | ratio | p99 at 70% | in-memory/s | RSS seeded | RSS peak | heap peak | host cores (healthz / next-case) | load avg |");
            Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var run in runs.Where(r => r.Storm is not null))
            {
                var s = run.Storm!;
                Line(md, string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {s.Agents:N0} | {s.Cases:N0} | {s.BaselineRps:N0} | {s.SignedInRps:N0} | {s.NextCaseRps:N0} | {s.Ratio:0.0%} | {s.OpenNextCaseP99Ms:0.##} ms at {s.OpenRate:N0}/s | {(s.InMemory is null ? "-" : s.InMemory.PerSecond.ToString("N0", CultureInfo.InvariantCulture))} | {Mib(run.Seeded?.ResidentBytes)} | {Mib(run.Peaks.Resident)} | {Mib(run.Peaks.Heap)} | {s.BaselineHostCores:0.0} / {s.HostCores:0.0} | {Load(run)} |"));
            }
        }

        if (runs.Any(r => r.MixedDay is not null))
        {
            Line(md);
            Line(md, "| engine | agents | agent cycles/s | requests/s | next-case p99 | save p99 | fail % | RSS peak | load avg |");
            Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var run in runs.Where(r => r.MixedDay is not null))
            {
                var m = run.MixedDay!;
                Line(md, string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {m.Agents:N0} | {m.IterationsPerSecond:N0} | {m.RequestsPerSecond:N0} | {m.NextCaseP99Ms:0.##} ms | {m.SaveP99Ms:0.##} ms | {m.FailPercent:0.##} | {Mib(run.Peaks.Resident)} | {Load(run)} |"));
            }
        }

        foreach (var run in runs)
        {
            Line(md);
            Line(md, $"## {run.Engine}{(settings.Smoke ? " (smoke: performance goals printed, not enforced)" : string.Empty)}");
            Line(md);
            foreach (var threshold in run.Report?.Thresholds ?? [])
            {
                Line(md, $"- `{threshold}`");
            }

            foreach (var goal in run.Goals)
            {
                Line(md, $"- `{goal}`");
            }

            Line(md, $"- report: {run.ReportFolder}");
        }

        return md.ToString();
    }

    public static string Write(SuiteSettings settings, DateTimeOffset startedAt, string markdown)
    {
        Directory.CreateDirectory(settings.Run.ResultsRoot);
        var path = Path.Combine(settings.Run.ResultsRoot, $"{startedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{settings.Command}-summary.md");
        File.WriteAllText(path, markdown);
        return path;
    }

    private static string Load(EngineRun run) =>
        run.LoadBefore is { } before && run.LoadAfter is { } after
            ? string.Create(CultureInfo.InvariantCulture, $"{before.OneMinute:0.#} → {after.OneMinute:0.#}")
            : "?";

    private static string Mib(double? bytes) => bytes is > 0 ? HostMetricsSample.Mib(bytes.Value) : "?";

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
