using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using static DialerCluster.Dialing.Tests.Monitoring.WallStateTests;

namespace DialerCluster.Dialing.Tests.Monitoring;

/// <summary>
/// The cluster wall through real Orleans messaging: three silos in this process, each with its own board and relay,
/// the wall grain on one of them. Timings are shortened (a node times out after 3 s) so that a test takes seconds.
/// </summary>
public sealed class WallAcrossSilosTests : IAsyncLifetime
{
    private static readonly WallTiming Fast = new()
    {
        Flush = TimeSpan.FromMilliseconds(50),
        Heartbeat = TimeSpan.FromMilliseconds(250),
        NodeTimeout = TimeSpan.FromSeconds(3),
        CallTimeout = TimeSpan.FromSeconds(2),
    };

    // Generous: a starved CI machine may stall for seconds; the waits end as soon as the condition holds.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.ConfigureServices(services => services.AddSingleton(Fast).AddLiveWall());
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_change_published_on_one_node_reaches_every_other_nodes_board_and_its_subscribers()
    {
        var (first, second, third) = (Board(0), Board(1), Board(2));
        using var watching = third.Subscribe();

        first.Publish(Agent(101, AgentState.Ready, DateTimeOffset.UtcNow));
        first.Publish(Campaign(7, DateTimeOffset.UtcNow));

        await EventuallyAsync(() => second.Agent(101)?.State == AgentState.Ready && third.Agent(101)?.State == AgentState.Ready && third.Campaign(7) is not null);
        var seen = new List<LiveEvent>();
        while (watching.Events.TryRead(out var change))
        {
            seen.Add(change);
        }

        Assert.Contains(seen, e => e is AgentChanged { Agent.AgentId: 101 });

        second.Publish(Agent(101, AgentState.Break, DateTimeOffset.UtcNow));
        await EventuallyAsync(() => first.Agent(101)?.State == AgentState.Break && third.Agent(101)?.State == AgentState.Break);
    }

    [Fact]
    public async Task A_killed_nodes_rows_leave_the_other_walls_and_a_node_that_joins_later_is_told_the_picture()
    {
        Board(0).Publish(Agent(201, AgentState.Ready, DateTimeOffset.UtcNow));
        Board(2).Publish(Agent(202, AgentState.OnCall, DateTimeOffset.UtcNow));
        await EventuallyAsync(() => Board(0).Agent(202) is not null && Board(1).Agent(201) is not null && Board(1).Agent(202) is not null);

        await Cluster.KillSiloAsync(Cluster.Silos[2]);

        await EventuallyAsync(() => Board(0).Agent(202) is null && Board(1).Agent(202) is null);
        Assert.NotNull(Board(1).Agent(201));

        var joined = await Cluster.StartAdditionalSiloAsync();
        var board = joined.ServiceProvider.GetRequiredService<LiveBoard>();
        await EventuallyAsync(() => board.Agent(201) is not null);
        Assert.Null(board.Agent(202));
    }

    [Fact]
    public async Task When_the_wall_grains_node_dies_the_others_rebuild_the_wall_and_keep_in_step()
    {
        Board(0).Publish(Agent(301, AgentState.Ready, DateTimeOffset.UtcNow));
        Board(1).Publish(Agent(302, AgentState.Ready, DateTimeOffset.UtcNow));
        Board(2).Publish(Agent(303, AgentState.Ready, DateTimeOffset.UtcNow));
        await EventuallyAsync(() => Enumerable.Range(0, 3).All(i => Board(i).Snapshot().Agents.Count == 3));

        var wallId = Cluster.Client.GetGrain<IWallGrain>(IWallGrain.Key).GetGrainId();
        Assert.True(Cluster.TryGetGrainContext(wallId, out var wall));
        var wallSilo = Cluster.GetSiloForAddress(wall.Address.SiloAddress!)!;
        var survivors = Cluster.Silos.Where(s => s != wallSilo).Select(s => s.ServiceProvider.GetRequiredService<LiveBoard>()).ToArray();
        await Cluster.KillSiloAsync(wallSilo);

        survivors[0].Publish(Agent(304, AgentState.Break, DateTimeOffset.UtcNow));
        await EventuallyAsync(() => survivors[1].Agent(304)?.State == AgentState.Break);
        survivors[1].Publish(Agent(305, AgentState.Ready, DateTimeOffset.UtcNow));
        await EventuallyAsync(() => survivors[0].Agent(305) is not null);
    }

    [Fact]
    public async Task A_wall_grain_that_was_deactivated_is_rebuilt_by_the_nodes_joining_again()
    {
        Board(0).Publish(Agent(401, AgentState.Ready, DateTimeOffset.UtcNow));
        await EventuallyAsync(() => Board(2).Agent(401) is not null);

        // The new activation knows no node: each learns so from its next batch, and joins again with its whole part.
        await Cluster.DeactivateAsync(Cluster.Client.GetGrain<IWallGrain>(IWallGrain.Key).GetGrainId());
        await Task.Delay(Fast.Heartbeat * 2);
        Board(1).Publish(Agent(402, AgentState.Ready, DateTimeOffset.UtcNow));

        await EventuallyAsync(() => Board(0).Agent(402) is not null && Board(2).Agent(402) is not null);
        var members = await Cluster.Client.GetGrain<IWallGrain>(IWallGrain.Key).MembersAsync();
        Assert.Equal(3, members.Length);
    }

    private LiveBoard Board(int silo) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<LiveBoard>();

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {Deadline.TotalSeconds} s");
            await Task.Delay(25);
        }
    }
}
