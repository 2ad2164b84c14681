using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Reporting;

namespace DialerCluster.LoadTests.Measurement;

/// <summary>Everything one scenario run records, read live by the progress line and at the end by the report.</summary>
internal sealed class ScenarioStats(Scenario scenario)
{
    private long _lateStarts;
    private long _dropped;
    private long _inFlight;

    public Scenario Scenario { get; } = scenario;

    public StepStats Total { get; } = new(ScenarioReport.TotalRowName);

    public StepStats[] Steps { get; } = [.. scenario.Steps.Select(s => new StepStats(s.Name))];

    public long LateStarts => Volatile.Read(ref _lateStarts);

    public long Dropped => Volatile.Read(ref _dropped);

    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Open model only: due time to actual start, the harness's own share of every latency.</summary>
    public LatencyHistogram StartLag { get; } = new();

    public void RecordStartLag(long micros, bool late)
    {
        StartLag.Record(micros);
        if (late)
        {
            Interlocked.Increment(ref _lateStarts);
        }
    }

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Finished() => Interlocked.Decrement(ref _inFlight);

    public ScenarioReport ToReport(TimeSpan lateStartThreshold, int maxInFlight)
    {
        var measured = Scenario.Duration - Scenario.WarmUp;
        return new ScenarioReport(
            Scenario.Name,
            string.Join(", then ", Scenario.Load.Select(l => l.Describe())),
            Scenario.WarmUp,
            measured,
            lateStartThreshold,
            maxInFlight,
            LateStarts,
            Dropped,
            StartLag.Count == 0 ? null : StepStats.Summarize(StartLag),
            Total.ToReport(measured, Dropped),
            [.. Steps.Select(s => s.ToReport(measured))]);
    }
}
