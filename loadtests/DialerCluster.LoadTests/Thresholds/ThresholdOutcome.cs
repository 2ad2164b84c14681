using System.Globalization;

namespace DialerCluster.LoadTests.Thresholds;

internal enum ThresholdVerdict
{
    Pass,
    Fail,

    /// <summary>Measured on a scenario whose requests failed beyond its limit: the figure says nothing, so it neither passes nor fails.</summary>
    Invalid,
}

/// <summary>One PASS/FAIL/INVALID line: a threshold applied to a scope (a scenario, or the scenarios it names).</summary>
internal sealed record ThresholdOutcome(string Threshold, string Scope, ThresholdVerdict Verdict, double Left, double Right, string? Problem)
{
    public bool Passed => Verdict == ThresholdVerdict.Pass;

    public string Label => Verdict switch
    {
        ThresholdVerdict.Pass => "PASS",
        ThresholdVerdict.Invalid => "INVALID",
        _ => "FAIL",
    };

    public override string ToString() => Verdict switch
    {
        ThresholdVerdict.Invalid => string.Create(CultureInfo.InvariantCulture, $"{Label}  {Threshold}  [{Scope}]  {Left:0.###} vs {Right:0.###}, not judged: {Problem}"),
        _ when Problem is not null => $"{Label}  {Threshold}  [{Scope}]  {Problem}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Label}  {Threshold}  [{Scope}]  {Left:0.###} vs {Right:0.###}"),
    };
}
