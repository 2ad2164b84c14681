namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// Everything on a wall that several nodes feed, and when each node was last heard from: the live board of every
/// node and the cluster's wall grain each keep one. Pure: the callers pass the time and guard it with their lock.
/// </summary>
/// <remarks>
/// A node's rows leave the wall together when it has not been heard from for a while (<see cref="Expire"/>):
/// nodes send a batch at least every heartbeat, so a node that died (or stopped answering) ages out, and its
/// agents come back as soon as their grains activate and publish on a live node.
/// </remarks>
internal sealed class WallState
{
    /// <summary>The node that keeps this state, on a node's own board (its own grains' rows).</summary>
    public const string Here = "";

    private readonly WallTable<long, AgentSnapshot> _agents = new(a => a.AgentId, a => a.At);
    private readonly WallTable<long, CampaignSnapshot> _campaigns = new(c => c.CampaignId, c => c.At);
    private readonly WallTable<string, ImportSnapshot> _imports = new(i => i.ImportId, i => i.At);
    private readonly Dictionary<string, DateTimeOffset> _heard = new(StringComparer.Ordinal);

    public IEnumerable<AgentSnapshot> Agents => _agents.Snapshots;

    public IEnumerable<CampaignSnapshot> Campaigns => _campaigns.Snapshots;

    public IEnumerable<ImportSnapshot> Imports => _imports.Snapshots;

    /// <summary>The nodes with rows here or heard from, <see cref="Here"/> aside.</summary>
    public IReadOnlyCollection<string> Nodes => _heard.Keys;

    public AgentSnapshot? Agent(long agentId) => _agents.Find(agentId);

    public CampaignSnapshot? Campaign(long campaignId) => _campaigns.Find(campaignId);

    public string? NodeOfAgent(long agentId) => _agents.NodeOf(agentId);

    public bool Put(AgentSnapshot agent, string node) => _agents.Put(agent, node);

    public bool Put(CampaignSnapshot campaign, string node) => _campaigns.Put(campaign, node);

    public bool Put(ImportSnapshot import, string node) => _imports.Put(import, node);

    public bool Forget(string importId, string node) => _imports.Remove(importId, node);

    public DateTimeOffset? LastHeard(string node) => _heard.TryGetValue(node, out var at) ? at : null;

    /// <summary>
    /// Takes another node's batch heard at <paramref name="now"/>: a full batch first drops that node's rows it no
    /// longer lists. What changed on the wall is added to <paramref name="changes"/> (when given) for the subscribers.
    /// </summary>
    public void Apply(WallBatch batch, DateTimeOffset now, ICollection<LiveEvent>? changes)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Node == Here)
        {
            throw new ArgumentException("A batch names the node that sent it.", nameof(batch));
        }

        _heard[batch.Node] = now;
        if (batch.Full)
        {
            Gone(
                _agents.RemoveNode(batch.Node, batch.Agents.Select(a => a.AgentId).ToHashSet()),
                _campaigns.RemoveNode(batch.Node, batch.Campaigns.Select(c => c.CampaignId).ToHashSet()),
                now,
                changes);
            _imports.RemoveNode(batch.Node, batch.Imports.Select(i => i.ImportId).ToHashSet(StringComparer.Ordinal));
        }

        foreach (var agent in batch.Agents)
        {
            if (_agents.Put(agent, batch.Node))
            {
                changes?.Add(new AgentChanged(agent));
            }
        }

        foreach (var campaign in batch.Campaigns)
        {
            if (_campaigns.Put(campaign, batch.Node))
            {
                changes?.Add(new CampaignChanged(campaign));
            }
        }

        foreach (var import in batch.Imports)
        {
            if (_imports.Put(import, batch.Node))
            {
                changes?.Add(new ImportChanged(import));
            }
        }

        foreach (var importId in batch.ImportsGone)
        {
            _imports.Remove(importId, batch.Node);
        }
    }

    /// <summary>Drops the rows of every node last heard from before <paramref name="heardBefore"/>; returns those nodes.</summary>
    public IReadOnlyList<string> Expire(DateTimeOffset heardBefore, DateTimeOffset now, ICollection<LiveEvent>? changes)
    {
        var silent = _heard.Where(h => h.Value < heardBefore).Select(h => h.Key).ToList();
        foreach (var node in silent)
        {
            _heard.Remove(node);
            Gone(_agents.RemoveNode(node), _campaigns.RemoveNode(node), now, changes);
            _imports.RemoveNode(node);
        }

        return silent;
    }

    /// <summary>All the rows <paramref name="node"/> reported, as a full batch sent in the name of <paramref name="sender"/>.</summary>
    public WallBatch FullBatch(string node, string sender) =>
        new(sender, true, _agents.Of(node), _campaigns.Of(node), _imports.Of(node), []);

    /// <summary>Every node's rows but <paramref name="except"/>'s, a full batch per node (what a joining node is told).</summary>
    public WallBatch[] FullBatchesExcept(string except) =>
        _heard.Keys.Where(n => n != except).Select(n => FullBatch(n, n)).ToArray();

    private static void Gone(List<long> agents, List<long> campaigns, DateTimeOffset now, ICollection<LiveEvent>? changes)
    {
        if (changes is null)
        {
            return;
        }

        foreach (var agentId in agents)
        {
            changes.Add(new AgentGone(agentId, now));
        }

        foreach (var campaignId in campaigns)
        {
            changes.Add(new CampaignGone(campaignId, now));
        }
    }
}
