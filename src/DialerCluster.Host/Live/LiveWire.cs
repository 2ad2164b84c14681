using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Monitoring;

namespace DialerCluster.Host.Live;

// The wall's JSON: flat, camelCase, agent states by their wire names ("ready", "on_call", "break").

internal sealed record LiveAgent(long AgentId, string Name, string State, DateTimeOffset Since, string? Reason, long? CampaignId, long? CaseId, DateTimeOffset At)
{
    public static LiveAgent From(AgentSnapshot a) => new(a.AgentId, a.Name, a.State.ToWire(), a.Since, a.Reason, a.CampaignId, a.CaseId, a.At);
}

internal sealed record LiveCounts(int Total, int Ready, int Pending, int Held, int Parked, int Closed, int New, int InAcquisition, int Offered, int Won, int Resigned);

internal sealed record LiveCampaign(long CampaignId, string Name, LiveCounts Counts, int AssignedAgents, DateTimeOffset At, CampaignDialStats? Dialing)
{
    public static LiveCampaign From(CampaignSnapshot c)
    {
        var n = c.Counts;
        return new(
            c.CampaignId,
            c.Name,
            new LiveCounts(n.Total, n.Ready, n.Pending, n.Held, n.Parked, n.Closed, n.New, n.InAcquisition, n.Offered, n.Won, n.Resigned),
            c.AssignedAgents,
            c.At,
            c.Dialing);
    }
}

internal sealed record LiveSnapshot(IReadOnlyList<LiveAgent> Agents, IReadOnlyList<LiveCampaign> Campaigns, IReadOnlyList<ImportSnapshot> Imports, DateTimeOffset At)
{
    public static LiveSnapshot From(MonitorSnapshot s) => new(
        s.Agents.Select(LiveAgent.From).ToArray(),
        s.Campaigns.Select(LiveCampaign.From).ToArray(),
        s.Imports,
        s.At);
}
