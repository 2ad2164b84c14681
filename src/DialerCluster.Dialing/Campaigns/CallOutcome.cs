using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Campaigns;

/// <summary>How one call attempt ended. Drives retry scheduling (<see cref="RetryPolicy"/>).</summary>
[GenerateSerializer]
public enum CallOutcome
{
    /// <summary>A live conversation took place; the funnel status, not a retry, decides what is next.</summary>
    Talked = 0,
    NoAnswer = 1,
    Busy = 2,

    /// <summary>Voicemail or answering machine.</summary>
    Voicemail = 3,

    /// <summary>The network refused or dropped the call (invalid number, congestion).</summary>
    Failed = 4,

    /// <summary>Answered by a person, but no agent was free within 2 seconds.</summary>
    Abandoned = 5,
}

public static class CallOutcomeWire
{
    private static readonly WireNames<CallOutcome> Names = new(
        (CallOutcome.Talked, "talked"),
        (CallOutcome.NoAnswer, "no_answer"),
        (CallOutcome.Busy, "busy"),
        (CallOutcome.Voicemail, "voicemail"),
        (CallOutcome.Failed, "failed"),
        (CallOutcome.Abandoned, "abandoned"));

    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this CallOutcome outcome) => Names.ToWire(outcome);

    /// <summary>Also accepts "machine" for <see cref="CallOutcome.Voicemail"/>: carriers report it so.</summary>
    public static bool TryParse(string? wire, out CallOutcome outcome)
    {
        if (wire == "machine")
        {
            outcome = CallOutcome.Voicemail;
            return true;
        }

        return Names.TryParse(wire, out outcome);
    }
}
