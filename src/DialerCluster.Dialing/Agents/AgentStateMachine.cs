using System.Collections.Frozen;

namespace DialerCluster.Dialing.Agents;

/// <summary>Which agent state may follow which. Staying in the same state is handled by <see cref="AgentPresence.Enter"/>.</summary>
public static class AgentStateMachine
{
    /// <summary>
    /// THE transition table. A call is only ever connected to a ready agent (so pacing can count on it);
    /// a call always ends in wrap-up (the case form is filled there), unless the agent drops offline
    /// (browser closed, supervisor logout), which must never leave them stuck "on call".
    /// </summary>
    private static readonly FrozenDictionary<AgentState, AgentState[]> Allowed = new Dictionary<AgentState, AgentState[]>
    {
        [AgentState.Offline] = [AgentState.Ready, AgentState.Break],
        [AgentState.Ready] = [AgentState.OnCall, AgentState.Break, AgentState.Offline],
        [AgentState.OnCall] = [AgentState.WrapUp, AgentState.Offline],
        [AgentState.WrapUp] = [AgentState.Ready, AgentState.Break, AgentState.Offline],
        [AgentState.Break] = [AgentState.Ready, AgentState.Offline],
    }.ToFrozenDictionary();

    public static bool IsAllowed(AgentState from, AgentState to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    public static IReadOnlyList<AgentState> AllowedFrom(AgentState from) =>
        Allowed.TryGetValue(from, out var targets) ? targets : [];

    /// <summary>Only a ready agent is offered cases (Next case, progressive and power dialing).</summary>
    public static bool TakesCases(this AgentState state) => state == AgentState.Ready;

    /// <summary>Away for the owner-fallback rule: nobody is there to honour the owner's callbacks.</summary>
    public static bool IsAway(this AgentState state) => state is AgentState.Offline or AgentState.Break;
}
