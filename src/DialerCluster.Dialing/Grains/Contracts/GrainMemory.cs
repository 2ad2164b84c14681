using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Pacing;

namespace DialerCluster.Dialing.Grains;

// What grains keep in Orleans's grain storage (IPersistentState). Stored as JSON by property name: classes may be
// renamed or moved, a renamed property needs [JsonPropertyName]. Each grain class has a state name of its own,
// because the storage keys a state by its name and the grain's key, not by the grain's class.

/// <summary>What an agent grain keeps across restarts and moves to another node: the agent's presence.</summary>
public sealed class AgentMemory
{
    public const string StateName = "agent.presence";

    public AgentPresence? Presence { get; set; }
}

/// <summary>What a campaign grain keeps across restarts and moves: what its pacing has learnt, abandon window included.</summary>
public sealed class CampaignMemory
{
    public const string StateName = "campaign.pacing";

    public PacingMemory? Pacing { get; set; }
}
