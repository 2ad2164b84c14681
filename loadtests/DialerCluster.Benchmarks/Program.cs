using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DialerCluster.Benchmarks;

// In-process: BenchmarkDotNet would otherwise generate and restore a project per run, and the
// package registry here does not hold everything that needs. `--quick` shortens the run for smoke use.
var quick = args.Contains("--quick");
var job = (quick ? Job.Dry.WithIterationCount(3) : Job.ShortRun.WithIterationCount(8))
    .WithToolchain(InProcessEmitToolchain.Instance);
var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summary = BenchmarkRunner.Run<GrainCallBenchmarks>(config, args.Where(a => a != "--quick").ToArray());

Console.WriteLine();
Console.WriteLine($"## Grain call vs SemaphoreSlim-locked baseline ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd})");
Console.WriteLine();
Console.WriteLine("| shape | metrics | grain calls/s | locked calls/s | grain ns/call | locked ns/call | grain / locked cost |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var (shape, grainMethod, lockedMethod) in new[]
{
    ("single caller", "GrainCall_SingleCaller", "Locked_SingleCaller"),
    ($"{GrainCallBenchmarks.Callers} callers, a grain each", "GrainCall_ManyCallers", "Locked_ManyCallers"),
    ($"{GrainCallBenchmarks.Callers} callers, one grain", "GrainCall_ManyCallersOneGrain", "Locked_ManyCallersOneLock"),
})
{
    foreach (var metrics in new[] { false, true })
    {
        var grain = MeanNanoseconds(summary, grainMethod, metrics);
        var locked = MeanNanoseconds(summary, lockedMethod, metrics);
        if (grain is null || locked is null)
        {
            continue;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {shape} | {(metrics ? "on" : "off")} | {1e9 / grain.Value:N0} | {1e9 / locked.Value:N0} | {grain.Value:F1} | {locked.Value:F1} | {grain.Value / locked.Value:F2}x |"));
    }
}

static double? MeanNanoseconds(Summary summary, string method, bool metrics)
    => summary.Reports
        .Where(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
            && (bool)r.BenchmarkCase.Parameters["MetricsOn"] == metrics
            && r.ResultStatistics is not null)
        .Select(r => (double?)r.ResultStatistics!.Mean)
        .FirstOrDefault();
