namespace DialerCluster.LoadTests.Suites;

internal enum GoalVerdict
{
    Pass,
    Fail,

    /// <summary>Printed for information: not this engine's goal, or the run was too small to judge it.</summary>
    NotJudged,
}

/// <summary>
/// One goal of the load tests with what was measured, printed as PASS, FAIL or INFO. A <see cref="Correctness"/>
/// goal (the run measured what it claims) is enforced even in the smoke, where performance goals are only printed.
/// </summary>
internal sealed record GoalLine(string Goal, GoalVerdict Verdict, string Measured, bool Correctness = false)
{
    public string Label => Verdict switch
    {
        GoalVerdict.Pass => "PASS",
        GoalVerdict.Fail => "FAIL",
        _ => "INFO",
    };

    public override string ToString() => $"{Label}  {Goal}: {Measured}";
}
