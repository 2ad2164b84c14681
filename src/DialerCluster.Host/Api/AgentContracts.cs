using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

public sealed record AgentBody(string? Name);

public sealed record AgentStatusBody(AgentState? Status, string? Reason);

public sealed record CompleteBody(CallOutcome? Outcome);

public sealed record AgentResponse(
    long Id,
    string Name,
    AgentState Status,
    DateTimeOffset Since,
    double SecondsInStatus,
    string? Reason,
    long? CampaignId,
    long? CaseId)
{
    public static AgentResponse From(AgentView view, DateTimeOffset now) => new(
        view.AgentId,
        view.Name,
        view.Presence.State,
        view.Presence.Since,
        Math.Round(view.Presence.TimeInState(now).TotalSeconds, 3),
        view.Presence.Reason,
        view.CampaignId,
        view.CaseId);
}

public sealed record NextCaseResponse(CaseResponse Case, ContactResponse? Contact, CallResponse? Call, bool Repeated)
{
    public static NextCaseResponse From(NextCaseOffer offer) => new(
        CaseResponse.From(offer.Case),
        offer.Contact is { } contact ? ContactResponse.From(contact) : null,
        offer.Call is { } call ? new CallResponse(call.CallId, call.State, call.AnsweredAt) : null,
        offer.Repeated);
}

/// <summary>The dialed call connected to the agent (progressive, power, predictive); null in preview.</summary>
/// <param name="State">"connected", or "ended" once the person hung up.</param>
public sealed record CallResponse(long CallId, string State, DateTimeOffset AnsweredAt);

public sealed record CompleteResponse(
    long CaseId,
    long CampaignId,
    CallOutcome Outcome,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    RetryDecisionKind Retry)
{
    public static CompleteResponse From(CompletedCase done) =>
        new(done.CaseId, done.CampaignId, done.Outcome, done.Attempts, done.NextAttemptAt, done.Retry);
}

public sealed record AgentListItem(long Id, string Name, DateTimeOffset CreatedAt)
{
    public static AgentListItem From(AgentRecord record) => new(record.Id, record.Name, record.CreatedAt);
}
