namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// This node's changes not yet sent to the other nodes, the latest per agent, campaign and import: an agent who
/// changes state five times between two batches is sent once. So the outbox never holds more than one row per
/// thing on the wall, however long the wall grain is out of reach.
/// </summary>
internal sealed class WallOutbox
{
    private readonly Dictionary<long, AgentSnapshot> _agents = [];
    private readonly Dictionary<long, CampaignSnapshot> _campaigns = [];
    private readonly Dictionary<string, ImportSnapshot> _imports = new(StringComparer.Ordinal);
    private readonly HashSet<string> _importsGone = new(StringComparer.Ordinal);

    public int Count => _agents.Count + _campaigns.Count + _imports.Count + _importsGone.Count;

    public void Add(AgentSnapshot agent) => _agents[agent.AgentId] = agent;

    public void Add(CampaignSnapshot campaign) => _campaigns[campaign.CampaignId] = campaign;

    public void Add(ImportSnapshot import)
    {
        _imports[import.ImportId] = import;
        _importsGone.Remove(import.ImportId);
    }

    public void Gone(string importId)
    {
        _imports.Remove(importId);
        _importsGone.Add(importId);
    }

    /// <summary>The pending changes as a batch from <paramref name="node"/>, emptying the outbox; null when nothing is pending.</summary>
    public WallBatch? Take(string node)
    {
        if (Count == 0)
        {
            return null;
        }

        var batch = new WallBatch(node, false, [.. _agents.Values], [.. _campaigns.Values], [.. _imports.Values], [.. _importsGone]);
        Clear();
        return batch;
    }

    public void Clear()
    {
        _agents.Clear();
        _campaigns.Clear();
        _imports.Clear();
        _importsGone.Clear();
    }
}
