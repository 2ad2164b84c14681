using System.Diagnostics;
using DialerCluster.LoadTests.Hosting;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;
using DialerCluster.LoadTests.Running;

namespace DialerCluster.LoadTests.Suites;

/// <summary>Runs a scenario and records how much CPU the host and this load generator used meanwhile (cores = CPU seconds / wall seconds).</summary>
internal static class ScenarioCpu
{
    public static async Task<ScenarioReport> RunAsync(EngineRun run, LoadTestSession session, Scenario scenario, CancellationToken cancellationToken)
    {
        var hostBefore = await HostMetrics.ScrapeAsync(session.Http, run.Host.BaseUrl, cancellationToken);
        var generatorBefore = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var report = await session.RunAsync(scenario, cancellationToken);
        var wall = clock.Elapsed;
        var hostAfter = await HostMetrics.ScrapeAsync(session.Http, run.Host.BaseUrl, cancellationToken);
        run.Cpu[scenario.Name] = (
            wall,
            hostBefore is not null && hostAfter is not null ? hostAfter.CpuSeconds - hostBefore.CpuSeconds : double.NaN,
            (Environment.CpuUsage.TotalTime - generatorBefore).TotalSeconds);
        return report;
    }

    public static (double Host, double Generator) Cores(EngineRun run, string scenario) =>
        run.Cpu.TryGetValue(scenario, out var cpu) && cpu.Wall > TimeSpan.Zero
            ? (cpu.HostCpuSeconds / cpu.Wall.TotalSeconds, cpu.GeneratorCpuSeconds / cpu.Wall.TotalSeconds)
            : (double.NaN, double.NaN);
}
