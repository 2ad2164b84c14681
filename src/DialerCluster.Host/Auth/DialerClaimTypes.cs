namespace DialerCluster.Host.Auth;

/// <summary>Claims beyond name and role that the pages and the access rules read.</summary>
public static class DialerClaimTypes
{
    /// <summary>The agent record a user acts as (agents only; decimal id).</summary>
    public const string AgentId = "dialer:agent_id";
}
