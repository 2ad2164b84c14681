using System.Globalization;
using System.Text;

namespace DialerCluster.LoadTests.Reporting;

/// <summary>One row per scenario and step; latencies in ms; invariant culture so it reads the same everywhere.</summary>
internal static class CsvReport
{
    public const string Header = "scenario,step,ok,failed,fail_pct,timeouts,rps,min_ms,mean_ms,p50_ms,p75_ms,p95_ms,p99_ms,max_ms,bytes,status_codes,late_starts,dropped,start_lag_p50_ms,start_lag_p99_ms";

    public static string Render(RunReport run)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var scenario in run.Scenarios)
        {
            foreach (var row in scenario.Steps.Prepend(scenario.Total))
            {
                var l = row.Latency;
                var isTotal = ReferenceEquals(row, scenario.Total);
                string[] fields =
                [
                    scenario.Scenario, row.Step, Number(row.Ok), Number(row.Failed), Number(row.FailPercent), Number(row.Timeouts),
                    Number(row.Rps), Number(l.MinMs), Number(l.MeanMs), Number(l.P50Ms), Number(l.P75Ms), Number(l.P95Ms),
                    Number(l.P99Ms), Number(l.MaxMs), Number(row.Bytes),
                    string.Join(' ', row.StatusCodes.Select(c => $"{c.Key}:{c.Value}")),
                    isTotal ? Number(scenario.LateStarts) : string.Empty, isTotal ? Number(scenario.Dropped) : string.Empty,
                    isTotal && scenario.StartLag is { } lag ? Number(lag.P50Ms) : string.Empty,
                    isTotal && scenario.StartLag is { } lag99 ? Number(lag99.P99Ms) : string.Empty,
                ];
                csv.AppendJoin(',', fields.Select(Quote)).Append('\n');
            }
        }

        return csv.ToString();
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
