namespace DialerCluster.Telephony.Simulation;

/// <summary>
/// How the simulated public network behaves. Rates are shares of all dials, except <see cref="MachineRate"/>
/// which is the share of answered calls picked up by a machine. The defaults are a plausible consumer list:
/// a third answered, one in five of those by voicemail.
/// </summary>
public sealed record SimulatedCarrierOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>P(answered, by a person or a machine | dialed).</summary>
    public double AnswerRate { get; init; } = 0.3;

    /// <summary>P(machine | answered).</summary>
    public double MachineRate { get; init; } = 0.2;

    public double BusyRate { get; init; } = 0.1;

    public double FailureRate { get; init; } = 0.02;

    /// <summary>From the dial to ringing, busy or failure.</summary>
    public DurationDistribution PostDialDelay { get; init; } = DurationDistribution.Uniform(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

    /// <summary>From ringing to pick-up, for calls that get answered (always shorter than the call's ring timeout).</summary>
    public DurationDistribution RingTime { get; init; } = DurationDistribution.LogNormal(TimeSpan.FromSeconds(9), 0.5);

    /// <summary>From pick-up to the carrier's answering-machine verdict.</summary>
    public DurationDistribution MachineDetectionTime { get; init; } = DurationDistribution.Uniform(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));

    /// <summary>How long a connected customer talks before hanging up.</summary>
    public DurationDistribution TalkTime { get; init; } = DurationDistribution.LogNormal(TimeSpan.FromSeconds(180), 0.8);

    /// <summary>How long a person who answered waits in silence for an agent before hanging up.</summary>
    public DurationDistribution Patience { get; init; } = DurationDistribution.LogNormal(TimeSpan.FromSeconds(10), 0.6);

    /// <summary>How long a voicemail keeps recording before it hangs up by itself.</summary>
    public DurationDistribution MachineMessageTime { get; init; } = DurationDistribution.Fixed(TimeSpan.FromSeconds(30));

    /// <summary>Throws naming the first bad field.</summary>
    public void Validate()
    {
        Rate(AnswerRate, nameof(AnswerRate));
        Rate(MachineRate, nameof(MachineRate));
        Rate(BusyRate, nameof(BusyRate));
        Rate(FailureRate, nameof(FailureRate));
        if (AnswerRate + BusyRate + FailureRate > 1.0 + 1e-9)
        {
            throw new ArgumentException(
                $"AnswerRate + BusyRate + FailureRate must be at most 1 (is {AnswerRate + BusyRate + FailureRate}); the rest is no answer.",
                nameof(AnswerRate));
        }

        Required(PostDialDelay, nameof(PostDialDelay));
        Required(RingTime, nameof(RingTime));
        Required(MachineDetectionTime, nameof(MachineDetectionTime));
        Required(TalkTime, nameof(TalkTime));
        Required(Patience, nameof(Patience));
        Required(MachineMessageTime, nameof(MachineMessageTime));
    }

    private static void Rate(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 0 and 1.");
        }
    }

    private static void Required(DurationDistribution? value, string name)
    {
        if (value is null)
        {
            throw new ArgumentNullException(name, $"{name} is required.");
        }
    }
}
