namespace DialerCluster.LoadTests.Suites;

internal enum GoalVerdict
{
    Pass,
    Fail,

    /// <summary>Printed for information: not this engine's goal, or the run was too small to judge it.</summary>
    NotJudged,

    /// <summary>Measured on requests that mostly failed: neither met nor missed; <see cref="GoalLine.Why"/> says what went wrong.</summary>
    Invalid,
}

/// <summary>
/// One goal of the load tests with what was measured, printed as PASS, FAIL, INVALID or INFO. A <see cref="Correctness"/>
/// goal (the run measured what it claims) is enforced even in the smoke, where performance goals are only printed.
/// </summary>
internal sealed record GoalLine(string Goal, GoalVerdict Verdict, string Measured, bool Correctness = false)
{
    /// <summary>Why an <see cref="GoalVerdict.Invalid"/> goal could not be judged, and what to change.</summary>
    public string? Why { get; init; }

    public string Label => Verdict switch
    {
        GoalVerdict.Pass => "PASS",
        GoalVerdict.Fail => "FAIL",
        GoalVerdict.Invalid => "INVALID",
        _ => "INFO",
    };

    public override string ToString() => Why is null ? $"{Label}  {Goal}: {Measured}" : $"{Label}  {Goal}: {Measured}; not judged: {Why}";
}
