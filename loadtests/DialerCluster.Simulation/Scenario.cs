using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Simulation;

/// <summary>One cell of the benchmark grid: a campaign day with a dial mode, a team and a contact list's behaviour.</summary>
internal sealed record Scenario(DialMode Mode, int Agents, double AnswerRate, TimeSpan MeanTalkTime)
{
    public static readonly TimeSpan Day = TimeSpan.FromHours(8);

    /// <summary>FCC 47 CFR 64.1200(a)(6) asks for at least 15 s; 25 s is a common dialer default.</summary>
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(25);

    /// <summary>FCC 47 CFR 64.1200(a)(7): an answered call with no live agent within 2 seconds is abandoned.</summary>
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan WrapUpMin = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan WrapUpMax = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan PreviewTime = TimeSpan.FromSeconds(10);

    public const double MachineRate = 0.2;
    public const double BusyRate = 0.1;
    public const double FailureRate = 0.02;
    public const double TalkTimeVariation = 0.8;

    /// <summary>The cell every mode of the same team and list shares: same carrier seed, so modes face the same customers.</summary>
    public (int Agents, double AnswerRate, TimeSpan MeanTalkTime) Cell => (Agents, AnswerRate, MeanTalkTime);
}
