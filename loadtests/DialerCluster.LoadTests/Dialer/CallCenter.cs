namespace DialerCluster.LoadTests.Dialer;

/// <summary>How the simulated agents authenticate.</summary>
internal enum SignInMode
{
    /// <summary>Each agent has its own user and bearer token, as on the desk; the host checks per request that the campaign is theirs.</summary>
    Agents,

    /// <summary>One supervisor token acts for every agent (the access rules allow management to); no per-agent users to create.</summary>
    Supervisor,
}

/// <summary>One simulated agent: its id, the token it sends, and its request URLs built once (no formatting per request).</summary>
internal sealed record AgentSeat(long AgentId, string Token, Uri NextCase, Uri Complete, Uri Status);

/// <summary>A campaign with its cases and ready agents, set up through the API before any measured load.</summary>
internal sealed record CallCenter(
    Uri BaseUrl,
    long CampaignId,
    IReadOnlyList<AgentSeat> Agents,
    string SupervisorToken,
    SignInMode SignIn,
    int CasesCreated,
    int RowsRejected,
    IReadOnlyList<SetupTiming> Timings)
{
    public Uri Monitor => new(BaseUrl, "api/monitor");

    public Uri Case(long caseId) => new(BaseUrl, $"api/cases/{caseId}");
}

internal sealed record SetupTiming(string Step, int Count, TimeSpan Took);
