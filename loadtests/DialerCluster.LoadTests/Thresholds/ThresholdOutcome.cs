using System.Globalization;

namespace DialerCluster.LoadTests.Thresholds;

/// <summary>One PASS/FAIL line: a threshold applied to a scope (a scenario, or the scenarios it names).</summary>
internal sealed record ThresholdOutcome(string Threshold, string Scope, bool Passed, double Left, double Right, string? Problem)
{
    public override string ToString() => Problem is null
        ? string.Create(CultureInfo.InvariantCulture, $"{(Passed ? "PASS" : "FAIL")}  {Threshold}  [{Scope}]  {Left:0.###} vs {Right:0.###}")
        : $"FAIL  {Threshold}  [{Scope}]  {Problem}";
}
