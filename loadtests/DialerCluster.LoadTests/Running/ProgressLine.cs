using System.Diagnostics;
using System.Globalization;
using DialerCluster.LoadTests.Measurement;

namespace DialerCluster.LoadTests.Running;

/// <summary>The live line: rewritten each second on a terminal, a plain line every 5 s when the output is a log.</summary>
internal static class ProgressLine
{
    public static async Task RunAsync(ScenarioStats stats, TextWriter output, bool interactive, Func<long> clock, long runStart, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(interactive ? 1 : 5));
        long lastRequests = 0;
        var lastAt = runStart;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = clock();
                var requests = stats.Steps.Sum(s => s.Ok + s.Failed);
                var seconds = Stopwatch.GetElapsedTime(lastAt, now).TotalSeconds;
                var line = Format(stats, Stopwatch.GetElapsedTime(runStart, now), seconds > 0 ? (requests - lastRequests) / seconds : 0);
                (lastRequests, lastAt) = (requests, now);
                if (interactive)
                {
                    await output.WriteAsync("\r" + line.PadRight(110));
                }
                else
                {
                    await output.WriteLineAsync(line);
                }

                await output.FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        if (interactive)
        {
            await output.WriteLineAsync();
        }
    }

    internal static string Format(ScenarioStats stats, TimeSpan elapsed, double currentRps)
    {
        var scenario = stats.Scenario;
        var phase = elapsed < scenario.WarmUp ? " warm-up" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"[{scenario.Name}] {elapsed.TotalSeconds,5:0}s/{scenario.Duration.TotalSeconds:0}s{phase} rps {currentRps,8:0} ok {stats.Total.Ok} fail {stats.Total.Failed} p99 {stats.Total.Latency.PercentileMicros(99) / 1000.0:0.###} ms in-flight {stats.InFlight} late {stats.LateStarts} dropped {stats.Dropped}");
    }
}
