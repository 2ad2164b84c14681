namespace DialerCluster.Dialing.Dialer;

/// <summary>Where a dialed call stands, as the agent's desk and the live wall show it.</summary>
public static class CallStates
{
    public const string Connected = "connected";
    public const string Ended = "ended";
}

/// <summary>
/// The "dialed lead": a call the campaign placed, answered by a person and bridged to the agent. The case is
/// durably held by that agent before the lead is handed over.
/// </summary>
/// <param name="CallId">The dialer's call id (the calls row).</param>
/// <param name="GatewayCallId">The carrier's id of the call.</param>
[GenerateSerializer]
[Immutable]
public sealed record DialedLead(
    long CampaignId,
    long CaseId,
    long AgentId,
    long CallId,
    string GatewayCallId,
    DateTimeOffset AnsweredAt,
    DateTimeOffset ConnectedAt)
{
    [Id(7)]
    public string State { get; init; } = CallStates.Connected;
}
