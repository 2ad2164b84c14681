using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Routing;

/// <summary>Why Next case came back without a case: what the agent's desk tells them, and what to do about it.</summary>
[GenerateSerializer]
public enum NoCaseReason
{
    /// <summary>Nothing can be dialed now: every open case is held, waiting for its retry or callback time, or parked
    /// (maximum attempts, do-not-call). More leads, or later.</summary>
    NothingDialable = 0,

    /// <summary>Cases are ready, but their contacts are outside the campaign's calling hours in their own time zone.</summary>
    CallingHours = 1,

    /// <summary>The only cases ready are callbacks kept for the agents who own them (who are present).</summary>
    KeptForOwners = 2,

    /// <summary>Dialing modes: every line the campaign may use is already ringing or talking.</summary>
    AllLinesBusy = 3,

    /// <summary>Dialing modes: the campaign is dialing for the agent, but no call was answered within this wait. Ask again.</summary>
    WaitEnded = 4,
}

public static class NoCaseReasonWire
{
    private static readonly WireNames<NoCaseReason> Names = new(
        (NoCaseReason.NothingDialable, "nothing_dialable"),
        (NoCaseReason.CallingHours, "calling_hours"),
        (NoCaseReason.KeptForOwners, "kept_for_owners"),
        (NoCaseReason.AllLinesBusy, "all_lines_busy"),
        (NoCaseReason.WaitEnded, "wait_ended"));

    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this NoCaseReason reason) => Names.ToWire(reason);
}
