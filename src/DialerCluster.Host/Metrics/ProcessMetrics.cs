using System.Diagnostics;
using System.Text;

namespace DialerCluster.Host.Metrics;

/// <summary>
/// Process and .NET runtime figures read at scrape time, named as the Prometheus client libraries name them
/// (process_cpu_seconds_total, process_resident_memory_bytes) so standard dashboards work. Every read here is
/// a counter the runtime already keeps: a scrape costs microseconds, not a /proc walk.
/// </summary>
internal sealed class ProcessMetrics
{
    private readonly double _startTimeSeconds;

    public ProcessMetrics()
    {
        using var process = Process.GetCurrentProcess();
        _startTimeSeconds = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
    }

    public void AppendTo(StringBuilder builder)
    {
        Gauge(builder, "process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", _startTimeSeconds);
        Counter(builder, "process_cpu_seconds_total", "Total user and system CPU time spent, in seconds.", Environment.CpuUsage.TotalTime.TotalSeconds);
        Gauge(builder, "process_resident_memory_bytes", "Resident memory (working set) of the process, in bytes.", Environment.WorkingSet);
        Gauge(builder, "dotnet_gc_heap_size_bytes", "Bytes currently allocated on the managed heap, as the GC estimates it.", GC.GetTotalMemory(forceFullCollection: false));
        Counter(builder, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", GC.GetTotalAllocatedBytes(precise: false));
        Counter(builder, "dotnet_gc_pause_seconds_total", "Time the GC has paused the process, in seconds.", GC.GetTotalPauseDuration().TotalSeconds);

        PrometheusText.AppendHeader(builder, "dotnet_gc_collections_total", "Garbage collections since the process started, by generation.", PrometheusType.Counter);
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            builder.Append("dotnet_gc_collections_total{generation=\"").Append(generation).Append("\"} ");
            PrometheusText.AppendNumber(builder, GC.CollectionCount(generation));
            builder.Append('\n');
        }

        Gauge(builder, "dotnet_threadpool_threads", "Thread pool threads that currently exist.", ThreadPool.ThreadCount);
        Gauge(builder, "dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started.", ThreadPool.PendingWorkItemCount);
    }

    private static void Gauge(StringBuilder builder, string name, string help, double value) =>
        Sample(builder, name, help, PrometheusType.Gauge, value);

    private static void Counter(StringBuilder builder, string name, string help, double value) =>
        Sample(builder, name, help, PrometheusType.Counter, value);

    private static void Sample(StringBuilder builder, string name, string help, PrometheusType type, double value)
    {
        PrometheusText.AppendHeader(builder, name, help, type);
        builder.Append(name).Append(' ');
        PrometheusText.AppendNumber(builder, value);
        builder.Append('\n');
    }
}
