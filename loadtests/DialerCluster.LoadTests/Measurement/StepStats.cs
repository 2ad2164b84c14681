using System.Collections.Concurrent;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;

namespace DialerCluster.LoadTests.Measurement;

/// <summary>Counters of one step (or of whole iterations), safe to record into from every copy at once.</summary>
internal sealed class StepStats(string name)
{
    private const int DistinctErrorsKept = 20;
    private readonly long[] _statusCodes = new long[600];
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _ok;
    private long _failed;
    private long _timeouts;
    private long _bytes;

    public string Name { get; } = name;

    public LatencyHistogram Latency { get; } = new();

    public long Ok => Volatile.Read(ref _ok);

    public long Failed => Volatile.Read(ref _failed);

    public void Record(in StepResult result, long latencyMicros, bool timedOut)
    {
        Latency.Record(latencyMicros);
        Interlocked.Increment(ref result.IsOk ? ref _ok : ref _failed);
        if (timedOut)
        {
            Interlocked.Increment(ref _timeouts);
        }

        if (result.SizeBytes > 0)
        {
            Interlocked.Add(ref _bytes, result.SizeBytes);
        }

        if (result.StatusCode is { } status)
        {
            Interlocked.Increment(ref _statusCodes[status is >= 0 and < 600 ? status : 0]);
        }

        if (!result.IsOk)
        {
            // Bounded so a failure message carrying an id can't grow the report without limit.
            var error = result.Error ?? "failed";
            var key = _errors.Count < DistinctErrorsKept || _errors.ContainsKey(error) ? error : "(other errors)";
            _errors.AddOrUpdate(key, 1, static (_, n) => n + 1);
        }
    }

    public StepReport ToReport(TimeSpan measured, long dropped = 0)
    {
        var ok = Ok;
        var failed = Failed;
        var attempts = ok + failed + dropped;
        var codes = new SortedDictionary<int, long>();
        for (var code = 0; code < _statusCodes.Length; code++)
        {
            var n = Volatile.Read(ref _statusCodes[code]);
            if (n > 0)
            {
                codes[code] = n;
            }
        }

        return new StepReport(
            Name,
            ok,
            failed,
            Volatile.Read(ref _timeouts),
            attempts == 0 ? 0 : 100.0 * (failed + dropped) / attempts,
            measured > TimeSpan.Zero ? ok / measured.TotalSeconds : 0,
            Summarize(Latency),
            codes,
            new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
            Volatile.Read(ref _bytes));
    }

    public static LatencySummary Summarize(LatencyHistogram histogram) => new(
        Milliseconds(histogram.MinMicros),
        histogram.MeanMicros / 1000,
        Milliseconds(histogram.PercentileMicros(50)),
        Milliseconds(histogram.PercentileMicros(75)),
        Milliseconds(histogram.PercentileMicros(95)),
        Milliseconds(histogram.PercentileMicros(99)),
        Milliseconds(histogram.MaxMicros));

    private static double Milliseconds(long micros) => micros / 1000.0;
}
