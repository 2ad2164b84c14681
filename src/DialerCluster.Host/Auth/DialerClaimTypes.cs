namespace DialerCluster.Host.Auth;

/// <summary>Claims beyond name and role that the pages, the access rules and the session checks read.</summary>
public static class DialerClaimTypes
{
    /// <summary>The agent record a user acts as (agents only; decimal id).</summary>
    public const string AgentId = "dialer:agent_id";

    /// <summary>The user's row (decimal id): what disabling, deleting or a new password ends sessions by.</summary>
    public const string UserId = "dialer:user_id";

    /// <summary>The sign-in session (random): what a logout ends, everywhere.</summary>
    public const string SessionId = "dialer:session_id";

    /// <summary>The user's session epoch when the session began (decimal): refused once the user's has moved on.</summary>
    public const string SessionEpoch = "dialer:session_epoch";

    /// <summary>The refresh generation a bearer session's refresh token was issued at (decimal).</summary>
    public const string RefreshGeneration = "dialer:refresh_generation";
}
