using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Agents;

/// <summary>What an agent is doing. Ready shows green ("working"), Break red (with a reason).</summary>
[GenerateSerializer]
public enum AgentState
{
    Offline = 0,
    Ready = 1,
    OnCall = 2,
    WrapUp = 3,
    Break = 4,
}

public static class AgentStateWire
{
    private static readonly WireNames<AgentState> Names = new(
        (AgentState.Offline, "offline"),
        (AgentState.Ready, "ready"),
        (AgentState.OnCall, "on_call"),
        (AgentState.WrapUp, "wrap_up"),
        (AgentState.Break, "break"));

    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this AgentState state) => Names.ToWire(state);

    public static bool TryParse(string? wire, out AgentState state) => Names.TryParse(wire, out state);
}
