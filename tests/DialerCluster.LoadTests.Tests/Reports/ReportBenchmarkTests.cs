using System.CommandLine;
using DialerCluster.LoadTests.Cli;
using DialerCluster.LoadTests.Reports;

namespace DialerCluster.LoadTests.Tests.Reports;

/// <summary>The report benchmark, tiny, on SQLite: it seeds, runs every report and prints times, indexes and plans.</summary>
public sealed class ReportBenchmarkTests
{
    [Fact]
    public async Task The_reports_command_times_every_report_and_prints_the_indexes_and_plans_it_used()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await LoadTestCommands.InvokeAsync(
            ["reports", "--engine", "sqlite", "--cases", "2000", "--days", "30", "--runs", "1"], new InvocationConfiguration { Output = output, Error = error });

        var text = output.ToString();
        Assert.True(exit is 0 or 1, $"exit {exit}\n{text}\n{error}");
        Assert.Contains("seeded 2,000 cases", text, StringComparison.Ordinal);
        foreach (var report in new[] { "funnel", "agents", "resignations", "sales-cycle", "lead-sources", "call-outcomes", "costs", "forecast" })
        {
            Assert.Contains($"| {report} |", text, StringComparison.Ordinal);
        }

        Assert.Contains("## Query plans", text, StringComparison.Ordinal);
        Assert.Contains("case_activities_moves_to", text, StringComparison.Ordinal);
        Assert.Contains("call_days (primary key)", text, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+(SEARCH|SCAN) \w+", text);
    }

    [Fact]
    public void The_seeded_history_is_the_same_every_time_and_keeps_its_funnel_shape()
    {
        var end = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new SeededHistory(5_000, end);
        var again = new SeededHistory(5_000, end);

        var cases = Enumerable.Range(1, 5_000).Select(i => first.Case(i)).ToArray();

        Assert.Equal(cases[41].Activities, again.Case(42).Activities);
        var activities = cases.Sum(c => c.Activities.Count);
        Assert.InRange(activities / 5_000.0, 4.0, 6.0);
        Assert.All(cases, c => Assert.All(c.Activities, a => Assert.True(a.At < end && a.At >= c.Created)));
        var won = cases.Count(c => c.Status == "won");
        var interested = cases.Count(c => c.LeadSource is not null);
        Assert.InRange(won / (double)interested, 0.15, 0.30);
    }
}
