namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// How the live wall keeps in step across nodes: each node sends its changes every <see cref="Flush"/> (and an empty
/// batch at least every <see cref="Heartbeat"/>); a node not heard from for <see cref="NodeTimeout"/> leaves the wall
/// with its rows. <see cref="CallTimeout"/> bounds one call to the wall grain, so a paused node's wall cannot hold
/// the relay up longer than that.
/// </summary>
public sealed record WallTiming
{
    public TimeSpan Flush { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
