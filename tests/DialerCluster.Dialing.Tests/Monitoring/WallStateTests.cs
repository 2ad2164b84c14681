using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Routing;

namespace DialerCluster.Dialing.Tests.Monitoring;

/// <summary>How a wall takes other nodes' batches and lets a silent node's rows go.</summary>
public sealed class WallStateTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_batch_puts_its_rows_on_the_wall_and_reports_each_change()
    {
        var wall = new WallState();
        var changes = new List<LiveEvent>();

        wall.Apply(Batch("node-a", agents: [Agent(1, AgentState.Ready, T0)], campaigns: [Campaign(7, T0)]), T0, changes);

        Assert.Equal(AgentState.Ready, wall.Agent(1)!.State);
        Assert.NotNull(wall.Campaign(7));
        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => c is AgentChanged { Agent.AgentId: 1 });
        Assert.Contains(changes, c => c is CampaignChanged { Campaign.CampaignId: 7 });
    }

    [Fact]
    public void A_full_batch_drops_the_rows_its_node_no_longer_lists_but_not_rows_another_node_took_over()
    {
        var wall = new WallState();
        wall.Apply(Batch("node-a", agents: [Agent(1, AgentState.Ready, T0), Agent(2, AgentState.Ready, T0), Agent(3, AgentState.Ready, T0)], campaigns: [Campaign(7, T0)]), T0, null);

        // Agent 3's grain moved to node b, which reported it later.
        wall.Apply(Batch("node-b", agents: [Agent(3, AgentState.Break, T0.AddSeconds(5))]), T0.AddSeconds(5), null);
        var changes = new List<LiveEvent>();
        wall.Apply(Batch("node-a", full: true, agents: [Agent(2, AgentState.OnCall, T0.AddSeconds(6))]), T0.AddSeconds(6), changes);

        Assert.Null(wall.Agent(1));
        Assert.Equal(AgentState.OnCall, wall.Agent(2)!.State);
        Assert.Equal(AgentState.Break, wall.Agent(3)!.State);
        Assert.Null(wall.Campaign(7));
        Assert.Contains(changes, c => c is AgentGone { AgentId: 1 });
        Assert.Contains(changes, c => c is CampaignGone { CampaignId: 7 });
        Assert.DoesNotContain(changes, c => c is AgentGone { AgentId: 3 });
    }

    [Fact]
    public void A_node_not_heard_from_since_the_cut_off_leaves_with_its_rows_and_the_others_stay()
    {
        var wall = new WallState();
        wall.Put(Agent(9, AgentState.Ready, T0), WallState.Here);
        wall.Apply(Batch("node-a", agents: [Agent(1, AgentState.Ready, T0)], campaigns: [Campaign(7, T0)]), T0, null);
        wall.Apply(Batch("node-b", agents: [Agent(2, AgentState.Ready, T0)]), T0.AddSeconds(4), null);

        // An empty batch is a heartbeat: node b was heard at T0 + 8 s.
        wall.Apply(WallBatch.Heartbeat("node-b"), T0.AddSeconds(8), null);
        var changes = new List<LiveEvent>();
        var gone = wall.Expire(heardBefore: T0.AddSeconds(1), now: T0.AddSeconds(11), changes);

        Assert.Equal(["node-a"], gone);
        Assert.Null(wall.Agent(1));
        Assert.Null(wall.Campaign(7));
        Assert.NotNull(wall.Agent(2));
        Assert.NotNull(wall.Agent(9));
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c => Assert.Equal(T0.AddSeconds(11), c.At));
        Assert.Empty(wall.Expire(heardBefore: T0.AddSeconds(8), now: T0.AddSeconds(12), null));
        Assert.Equal(["node-b"], wall.Expire(heardBefore: T0.AddSeconds(8.001), now: T0.AddSeconds(12), null));
        Assert.NotNull(wall.Agent(9));
    }

    [Fact]
    public void An_import_leaves_the_wall_only_when_the_node_that_runs_it_forgets_it()
    {
        var wall = new WallState();
        wall.Apply(Batch("node-a", imports: [Import("imp-1", T0)]), T0, null);
        wall.Apply(Batch("node-b", importsGone: ["imp-1"]), T0, null);
        Assert.Single(wall.Imports);

        wall.Apply(Batch("node-a", importsGone: ["imp-1"]), T0, null);
        Assert.Empty(wall.Imports);
    }

    [Fact]
    public void A_joining_node_is_told_every_other_nodes_rows_a_full_batch_each()
    {
        var wall = new WallState();
        wall.Apply(Batch("node-a", agents: [Agent(1, AgentState.Ready, T0)]), T0, null);
        wall.Apply(Batch("node-b", agents: [Agent(2, AgentState.Ready, T0)], campaigns: [Campaign(7, T0)]), T0, null);
        wall.Apply(Batch("node-c", agents: [Agent(3, AgentState.Ready, T0)]), T0, null);

        var told = wall.FullBatchesExcept("node-c");

        Assert.Equal(["node-a", "node-b"], told.Select(b => b.Node).Order());
        Assert.All(told, b => Assert.True(b.Full));
        Assert.Equal([2L], told.Single(b => b.Node == "node-b").Agents.Select(a => a.AgentId));
        Assert.Single(told.Single(b => b.Node == "node-b").Campaigns);
    }

    [Fact]
    public void A_batch_must_name_a_node()
    {
        Assert.Throws<ArgumentException>(() => new WallState().Apply(WallBatch.Heartbeat(WallState.Here), T0, null));
    }

    internal static WallBatch Batch(
        string node,
        bool full = false,
        AgentSnapshot[]? agents = null,
        CampaignSnapshot[]? campaigns = null,
        ImportSnapshot[]? imports = null,
        string[]? importsGone = null) =>
        new(node, full, agents ?? [], campaigns ?? [], imports ?? [], importsGone ?? []);

    internal static AgentSnapshot Agent(long id, AgentState state, DateTimeOffset at) =>
        new(id, $"Agent {id}", state, at, null, null, null, at);

    internal static CampaignSnapshot Campaign(long id, DateTimeOffset at) =>
        new(id, $"Campaign {id}", new CampaignQueueCounts(10, 5, 0, 1, 0, 0, 6, 2, 1, 1, 0), 3, at);

    internal static ImportSnapshot Import(string id, DateTimeOffset at) =>
        new(id, "spring leads", 100, 90, 10, 0.5, false, null, at);
}
