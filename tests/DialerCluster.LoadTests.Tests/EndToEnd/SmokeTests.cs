using System.CommandLine;
using DialerCluster.LoadTests.Cli;
using DialerCluster.LoadTests.Tests.Support;

namespace DialerCluster.LoadTests.Tests.EndToEnd;

/// <summary>Runs alone, after the parallel tests: a real host saturating both cores would skew their timings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealHostCollection
{
    public const string Name = "real host";
}

/// <summary>
/// The smoke command against the real host (its build output started as a child process on SQLite): every
/// scenario runs tiny, so the harness and the API it drives cannot drift apart unnoticed. Takes ~30 s.
/// </summary>
[Collection(RealHostCollection.Name)]
public sealed class SmokeTests : IDisposable
{
    private readonly TempFolder _results = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => _results.Dispose();

    [Fact]
    public async Task Smoke_runs_every_scenario_against_the_real_host_without_a_failed_request()
    {
        var exit = await LoadTestCommands.InvokeAsync(
            ["smoke", "--results", _results.Path, "--no-progress"],
            new InvocationConfiguration { Output = _output, Error = _error });

        var output = _output.ToString();
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{_error}");
        Assert.Contains("# smoke: PASS", output);
        foreach (var scenario in new[] { "## baseline", "## baseline-signed-in", "## next-case", "## next-case-70pct", "## mixed-day" })
        {
            Assert.Contains(scenario, output);
        }

        // Every kind of request the mixed day sends was answered at least once.
        var report = Directory.GetDirectories(_results.Path).Single();
        var csv = await File.ReadAllLinesAsync(Path.Combine(report, "report.csv"));
        foreach (var step in new[] { "break", "ready", "next-case", "save-case", "complete", "monitor" })
        {
            var row = csv.Single(line => line.StartsWith($"mixed-day,{step},", StringComparison.Ordinal)).Split(',');
            Assert.True(long.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no ok {step} in the mixed day:\n{string.Join('\n', csv)}");
        }

        var markdown = await File.ReadAllTextAsync(Path.Combine(report, "report.md"));
        Assert.Contains("## Host memory (/metrics)", markdown);
        Assert.Contains("next-case throughput >= 50% of the trivial endpoint's", markdown);
        Assert.Contains("p99 <= 10 ms at 70% of the measured maximum", markdown);
        Assert.Contains("durable assignments/s", markdown);
        Assert.Contains("in-memory", markdown);
        Assert.Contains("PASS  the campaign does not run dry during the mixed day", markdown);
        Assert.Single(Directory.GetFiles(_results.Path, "*-smoke-summary.md"));
    }
}
