using System.Diagnostics;
using System.Globalization;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Simulation;

// Usage: dotnet run -c Release --project loadtests/DialerCluster.Simulation -- [--seed N] [--quick] [--out FILE]
int seed = 20260105;
bool quick = false;
string? outFile = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed):
            seed = parsed;
            i++;
            break;
        case "--quick":
            quick = true;
            break;
        case "--out" when i + 1 < args.Length:
            outFile = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Options: --seed <integer>, --quick, --out <file>.");
            return 2;
    }
}

var grid = Grid.Build(quick);
var stopwatch = Stopwatch.StartNew();
var results = new DayResult[grid.Count];

// Cells are independent single-threaded days, so they run in parallel; results keep grid order, so output is deterministic.
Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
{
    results[i] = new CampaignDay(grid[i], Grid.SeedFor(seed, grid[i])).Run();
});

var report = Report.Render(results, seed, quick);
Console.Write(report);
Console.Error.WriteLine($"{grid.Count} simulated 8-hour days in {stopwatch.Elapsed.TotalSeconds:0.0} s wall time.");
if (outFile is not null)
{
    await File.WriteAllTextAsync(outFile, report);
}

return Report.GoalMet(results) ? 0 : 1;
