using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DialerCluster.Runtime;

internal enum CallOutcome
{
    Ok,
    Error,
    Canceled,
}

/// <summary>The runtime's instruments. Recording is skipped entirely while nobody listens.</summary>
internal sealed class RuntimeMetrics
{
    private static readonly double[] DurationBuckets =
        [0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _duration;

    public RuntimeMetrics(Meter meter, ActivationCatalog catalog)
    {
        _calls = meter.CreateCounter<long>(RuntimeInstruments.Calls, "{call}", "Grain calls completed, by grain type and outcome.");
        _duration = meter.CreateHistogram<double>(
            RuntimeInstruments.CallDuration,
            "s",
            "Grain call duration from arrival to completion, queueing included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableGauge(RuntimeInstruments.Activations, () => catalog.ActiveCount, "{activation}", "Live grain activations.");
        meter.CreateObservableGauge(RuntimeInstruments.MailboxLength, catalog.MailboxLength, "{call}", "Calls waiting in grain mailboxes.");
    }

    public bool Enabled => _calls.Enabled || _duration.Enabled;

    public long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    public void RecordCall(string grainType, long startTimestamp, CallOutcome outcome)
    {
        if (startTimestamp == 0 || !Enabled)
        {
            return;
        }

        var type = new KeyValuePair<string, object?>(RuntimeInstruments.GrainTypeTag, grainType);
        _calls.Add(1, type, new KeyValuePair<string, object?>(RuntimeInstruments.OutcomeTag, OutcomeName(outcome)));
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, type);
    }

    private static string OutcomeName(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Ok => "ok",
        CallOutcome.Error => "error",
        _ => "canceled",
    };
}
