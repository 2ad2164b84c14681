namespace DialerCluster.LoadTests.Suites;

internal enum GoalVerdict
{
    Pass,
    Fail,

    /// <summary>Printed for information: not this engine's goal, or the run was too small to judge it.</summary>
    NotJudged,
}

/// <summary>One goal of the load tests with what was measured, printed as PASS, FAIL or INFO.</summary>
internal sealed record GoalLine(string Goal, GoalVerdict Verdict, string Measured)
{
    public string Label => Verdict switch
    {
        GoalVerdict.Pass => "PASS",
        GoalVerdict.Fail => "FAIL",
        _ => "INFO",
    };

    public override string ToString() => $"{Label}  {Goal}: {Measured}";
}
