using System.Globalization;

namespace DialerCluster.LoadTests.Hosting;

/// <summary>One scrape of the host's /metrics: resident memory, managed heap and CPU time so far.</summary>
internal sealed record HostMetricsSample(double ResidentBytes, double HeapBytes, double CpuSeconds, DateTimeOffset At)
{
    public static string Mib(double bytes) => (bytes / (1024 * 1024)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}

/// <summary>Reads the Prometheus text the host serves at /metrics (process_working_set_bytes, dotnet_total_memory_bytes, process_cpu_seconds_total).</summary>
internal static class HostMetrics
{
    public const string ResidentMemory = "process_working_set_bytes";
    public const string HeapSize = "dotnet_total_memory_bytes";
    public const string CpuSeconds = "process_cpu_seconds_total";

    public static async Task<HostMetricsSample?> ScrapeAsync(HttpClient http, Uri baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var text = await http.GetStringAsync(new Uri(baseUrl, "metrics"), timeout.Token);
            return Parse(text, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Null when one of the three series is missing.</summary>
    public static HostMetricsSample? Parse(string text, DateTimeOffset at)
    {
        double? rss = null, heap = null, cpu = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !double.TryParse(line.AsSpan(space + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line[..space])
            {
                case ResidentMemory: rss = value; break;
                case HeapSize: heap = value; break;
                case CpuSeconds: cpu = value; break;
            }
        }

        return rss is { } r && heap is { } h && cpu is { } c ? new HostMetricsSample(r, h, c, at) : null;
    }
}

/// <summary>Scrapes /metrics every second while a scenario runs and keeps the peaks.</summary>
internal sealed class HostMetricsWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double _peakResident;
    private double _peakHeap;
    private int _samples;

    private HostMetricsWatch(HttpClient http, Uri baseUrl, TimeSpan interval)
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    if (await HostMetrics.ScrapeAsync(http, baseUrl, _stop.Token) is { } sample)
                    {
                        _peakResident = Math.Max(_peakResident, sample.ResidentBytes);
                        _peakHeap = Math.Max(_peakHeap, sample.HeapBytes);
                        _samples++;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        });
    }

    public static HostMetricsWatch Start(HttpClient http, Uri baseUrl) => new(http, baseUrl, TimeSpan.FromSeconds(1));

    /// <summary>Peaks seen so far (0 when no scrape answered).</summary>
    public (double Resident, double Heap, int Samples) Peaks => (_peakResident, _peakHeap, _samples);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
