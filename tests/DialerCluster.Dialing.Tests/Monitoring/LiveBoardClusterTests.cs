using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Monitoring;
using static DialerCluster.Dialing.Tests.Monitoring.WallStateTests;

namespace DialerCluster.Dialing.Tests.Monitoring;

/// <summary>The board's side of the cluster wall: what it sends, what it takes from other nodes, what its subscribers see.</summary>
public sealed class LiveBoardClusterTests
{
    [Fact]
    public void Changes_between_two_batches_go_out_once_each_the_latest()
    {
        var board = new LiveBoard();
        board.Publish(Agent(1, AgentState.Ready, T0));
        board.Publish(Agent(1, AgentState.OnCall, T0.AddSeconds(1)));
        board.Publish(Agent(1, AgentState.WrapUp, T0.AddSeconds(2)));
        board.Publish(Campaign(7, T0));
        board.Publish(Import("imp-1", T0));
        board.Forget("imp-1");

        var batch = board.TakeChanges("node-a")!;

        Assert.Equal("node-a", batch.Node);
        Assert.False(batch.Full);
        Assert.Equal(AgentState.WrapUp, Assert.Single(batch.Agents).State);
        Assert.Single(batch.Campaigns);
        Assert.Empty(batch.Imports);
        Assert.Equal(["imp-1"], batch.ImportsGone);
        Assert.Null(board.TakeChanges("node-a"));
    }

    [Fact]
    public void A_full_batch_carries_this_nodes_rows_only_and_covers_what_was_pending()
    {
        var board = new LiveBoard();
        board.Publish(Agent(1, AgentState.Ready, T0));
        board.Merge(Batch("node-b", agents: [Agent(2, AgentState.Ready, T0)]), T0);

        var full = board.TakeAll("node-a");

        Assert.True(full.Full);
        Assert.Equal([1L], full.Agents.Select(a => a.AgentId));
        Assert.Null(board.TakeChanges("node-a"));
    }

    [Fact]
    public async Task Another_nodes_changes_reach_the_snapshot_and_the_subscribers_and_are_not_sent_back()
    {
        var board = new LiveBoard();
        using var subscription = board.Subscribe();

        board.Merge(Batch("node-b", agents: [Agent(2, AgentState.Break, T0)], campaigns: [Campaign(7, T0)]), T0);

        Assert.Equal([2L], board.Snapshot().Agents.Select(a => a.AgentId));
        Assert.NotNull(board.Campaign(7));
        Assert.IsType<AgentChanged>(await NextAsync(subscription));
        Assert.IsType<CampaignChanged>(await NextAsync(subscription));
        Assert.Null(board.TakeChanges("node-a"));
    }

    [Fact]
    public void A_late_publish_from_a_stale_activation_loses_to_the_row_its_new_node_reported()
    {
        var board = new LiveBoard();
        board.Merge(Batch("node-b", agents: [Agent(1, AgentState.OnCall, T0.AddSeconds(5))]), T0.AddSeconds(5));
        using var subscription = board.Subscribe();

        board.Publish(Agent(1, AgentState.Ready, T0.AddSeconds(4)));

        Assert.Equal(AgentState.OnCall, board.Agent(1)!.State);
        Assert.False(subscription.Events.TryRead(out _));
        Assert.Null(board.TakeChanges("node-a"));
    }

    [Fact]
    public async Task A_silent_nodes_rows_leave_and_subscribers_are_told()
    {
        var board = new LiveBoard();
        board.Publish(Agent(1, AgentState.Ready, T0));
        board.Merge(Batch("node-b", agents: [Agent(2, AgentState.Ready, T0)], campaigns: [Campaign(7, T0)]), T0);
        using var subscription = board.Subscribe();

        board.Expire(heardBefore: T0.AddSeconds(1), now: T0.AddSeconds(10));

        Assert.Equal([1L], board.Snapshot().Agents.Select(a => a.AgentId));
        Assert.Empty(board.Snapshot().Campaigns);
        Assert.Equal(new AgentGone(2, T0.AddSeconds(10)), await NextAsync(subscription));
        Assert.Equal(new CampaignGone(7, T0.AddSeconds(10)), await NextAsync(subscription));
    }

    // A missing event fails the test instead of hanging it.
    private static async Task<LiveEvent> NextAsync(LiveSubscription subscription)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await subscription.Events.ReadAsync(timeout.Token);
    }
}
