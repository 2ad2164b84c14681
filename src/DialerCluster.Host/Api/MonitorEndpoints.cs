using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Monitoring;

namespace DialerCluster.Host.Api;

/// <param name="CallId">The dialed call the agent was connected to (progressive, power, predictive); null in preview.</param>
/// <param name="CallState">"connected", or "ended" once the person hung up; null without a dialed call.</param>
public sealed record MonitorAgentResponse(
    long Id,
    string Name,
    AgentState Status,
    DateTimeOffset Since,
    double SecondsInStatus,
    string? Reason,
    long? CampaignId,
    long? CaseId,
    long? CallId,
    string? CallState);

public sealed record MonitorCampaignResponse(
    long Id,
    string Name,
    IReadOnlyDictionary<string, int> CasesByStatus,
    int Ready,
    int Held,
    int Pending,
    int Parked,
    int Total,
    int AssignedAgents,
    CampaignDialStats? Dialing);

public sealed record MonitorImportResponse(string Id, string Name, int RowsRead, int Accepted, int Rejected, double? Fraction, bool Done);

public sealed record MonitorResponse(
    IReadOnlyList<MonitorAgentResponse> Agents,
    IReadOnlyList<MonitorCampaignResponse> Campaigns,
    IReadOnlyList<MonitorImportResponse> Imports,
    DateTimeOffset At);

internal static class MonitorEndpoints
{
    public static RouteGroupBuilder MapMonitor(this RouteGroupBuilder api)
    {
        var monitor = api.MapGroup("/monitor").WithTags("Monitor");
        monitor.MapGet("/", Get).WithName("Monitor");
        return monitor;
    }

    internal static MonitorResponse Shape(MonitorSnapshot snapshot) => new(
        snapshot.Agents.Select(a => new MonitorAgentResponse(
            a.AgentId, a.Name, a.State, a.Since, Math.Round(Math.Max(0, (snapshot.At - a.Since).TotalSeconds), 3), a.Reason, a.CampaignId, a.CaseId, a.CallId, a.CallState)).ToArray(),
        snapshot.Campaigns.Select(c =>
        {
            var queue = Api.QueueResponse.From(c.Counts);
            return new MonitorCampaignResponse(
                c.CampaignId, c.Name, queue.CasesByStatus, queue.Ready, queue.Held, queue.Pending, queue.Parked, queue.Total, c.AssignedAgents, c.Dialing);
        }).ToArray(),
        snapshot.Imports.Select(i => new MonitorImportResponse(i.ImportId, i.Name, i.RowsRead, i.Accepted, i.Rejected, i.Fraction, i.Done)).ToArray(),
        snapshot.At);

    private static IResult Get(LiveBoard board) => Results.Ok(Shape(board.Snapshot()));
}
