namespace DialerCluster.Dialing.Telephony;

/// <summary>Where an answered call is bridged to: the agent, and the agent's line (a SIP URI or extension) when the gateway needs one.</summary>
public sealed record AgentEndpoint
{
    public AgentEndpoint(string agentId, string? address = null)
    {
        if (string.IsNullOrWhiteSpace(agentId))
        {
            throw new ArgumentException("AgentEndpoint.AgentId must not be empty.", nameof(agentId));
        }

        AgentId = agentId;
        Address = address;
    }

    public string AgentId { get; }

    public string? Address { get; }
}
