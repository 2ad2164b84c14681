namespace DialerCluster.Simulation;

/// <summary>What a simulated campaign day measured.</summary>
internal sealed record DayResult(
    Scenario Scenario,
    TimeSpan LoggedIn,
    TimeSpan Talk,
    TimeSpan Idle,
    long Dials,
    long AnsweredByPerson,
    long Connected,
    long Abandoned,
    long AbandonedRedialedWithin72Hours,
    double ConnectP50Seconds,
    double ConnectP99Seconds,
    long PacingDecisions,
    long Released)
{
    /// <summary>Talk time / logged-in time.</summary>
    public double Occupancy => LoggedIn > TimeSpan.Zero ? Talk / LoggedIn : 0;

    public double TalkMinutesPerHour => Occupancy * 60;

    /// <summary>Idle (ready, previewing, waiting on one's own dial) time per connected call.</summary>
    public double MeanWaitSeconds => Connected > 0 ? Idle.TotalSeconds / Connected : Idle.TotalSeconds;

    /// <summary>Abandoned / answered by a person: the regulators' measure.</summary>
    public double AbandonRate => AnsweredByPerson > 0 ? (double)Abandoned / AnsweredByPerson : 0;

    public double ConnectsPerAgentHour => Connected / LoggedIn.TotalHours;

    public double DialsPerAgentHour => Dials / LoggedIn.TotalHours;

    /// <summary>Ringing calls hung up unanswered after 15 s of ringing, per agent-hour.</summary>
    public double ReleasedPerAgentHour => Released / LoggedIn.TotalHours;
}
