using Orleans.Concurrency;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// What one node tells the others about its part of the wall: the agents, campaigns and imports its grains and
/// endpoints published since its last batch, and the imports it forgot. <see cref="Full"/>: everything the node
/// reports, so its rows missing here are gone (a node joining, or the wall grain rebuilding after it moved).
/// </summary>
/// <param name="Node">The sending node's silo address (<c>SiloAddress.ToParsableString()</c>).</param>
[GenerateSerializer]
[Immutable]
public sealed record WallBatch(
    string Node,
    bool Full,
    AgentSnapshot[] Agents,
    CampaignSnapshot[] Campaigns,
    ImportSnapshot[] Imports,
    string[] ImportsGone)
{
    /// <summary>A batch with nothing in it: a heartbeat that says the node is alive.</summary>
    public static WallBatch Heartbeat(string node) => new(node, false, [], [], [], []);

    public bool IsEmpty => Agents.Length == 0 && Campaigns.Length == 0 && Imports.Length == 0 && ImportsGone.Length == 0;
}

/// <summary>A node on the wall: its silo address, the HTTP address it announced and when the wall last heard from it.</summary>
[GenerateSerializer]
[Immutable]
public sealed record WallMember(string Node, string? HttpAddress, DateTimeOffset LastHeard);

/// <summary>
/// The cluster's wall (one grain, key <see cref="Key"/>): each node sends its board's changes here, and the grain
/// passes them on one-way to every other node. It keeps the current picture in memory only: after it moves to
/// another node, each node learns from <see cref="PublishAsync"/> that it is unknown and joins again with its
/// whole part, so the picture rebuilds within a heartbeat.
/// </summary>
public interface IWallGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>
    /// Registers (or re-registers) <paramref name="full"/>'s node with its observer and HTTP address, replaces the
    /// node's rows with <paramref name="full"/>, and answers with every other node's rows, a full batch per node.
    /// </summary>
    Task<WallBatch[]> JoinAsync(WallBatch full, string? httpAddress, IWallObserver observer);

    /// <summary>Applies and passes on a node's changes (an empty batch is its heartbeat); false when the node must join first.</summary>
    Task<bool> PublishAsync(WallBatch changes);

    /// <summary>The nodes heard from lately, with the HTTP address each announced.</summary>
    Task<WallMember[]> MembersAsync();
}

/// <summary>A node's ear for the wall grain: other nodes' batches, one-way, so a slow node never holds the grain up.</summary>
public interface IWallObserver : IGrainObserver
{
    [OneWay]
    Task ReceiveAsync(WallBatch batch);
}
