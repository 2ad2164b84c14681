using Microsoft.Extensions.Logging;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// The cluster's wall (<see cref="IWallGrain"/>): the nodes' batches in, the same batches out one-way to every other
/// node. Its picture and its list of observers live in memory only, rebuilt by the nodes' joins after a move.
/// </summary>
/// <remarks>
/// Fan-out is one message per node per batch, and a node sends at most one batch per flush interval, so the grain's
/// work grows with the number of nodes, not with the number of changes. A node not heard from for
/// <see cref="WallTiming.NodeTimeout"/> is dropped with its rows and its observer.
/// </remarks>
internal sealed partial class WallGrain(WallTiming timing, TimeProvider time, ILogger<WallGrain> logger) : Grain, IWallGrain
{
    private readonly WallState _wall = new();
    private readonly Dictionary<string, (IWallObserver Observer, string? HttpAddress)> _members = new(StringComparer.Ordinal);

    public Task<WallBatch[]> JoinAsync(WallBatch full, string? httpAddress, IWallObserver observer)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(observer);
        var now = Expire();
        _members[full.Node] = (observer, httpAddress);
        var replacing = full with { Full = true };
        _wall.Apply(replacing, now, changes: null);
        FanOut(replacing);
        return Task.FromResult(_wall.FullBatchesExcept(full.Node));
    }

    public Task<bool> PublishAsync(WallBatch changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var now = Expire();
        if (!_members.ContainsKey(changes.Node))
        {
            return Task.FromResult(false);
        }

        _wall.Apply(changes, now, changes: null);
        FanOut(changes);
        return Task.FromResult(true);
    }

    public Task<WallMember[]> MembersAsync()
    {
        Expire();
        return Task.FromResult(_members
            .Select(m => new WallMember(m.Key, m.Value.HttpAddress, _wall.LastHeard(m.Key) ?? DateTimeOffset.MinValue))
            .OrderBy(m => m.Node, StringComparer.Ordinal)
            .ToArray());
    }

    private DateTimeOffset Expire()
    {
        var now = time.GetUtcNow();
        foreach (var node in _wall.Expire(now - timing.NodeTimeout, now, changes: null))
        {
            _members.Remove(node);
            LogNodeSilent(node, timing.NodeTimeout.TotalSeconds);
        }

        return now;
    }

    private void FanOut(WallBatch batch)
    {
        foreach (var (node, member) in _members)
        {
            if (node == batch.Node)
            {
                continue;
            }

            try
            {
                // One-way: returns once the message is queued; a node that is gone is dropped by Expire.
                member.Observer.ReceiveAsync(batch).Ignore();
            }
            catch (Exception ex)
            {
                LogFanOutFailed(ex, node);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live wall: node {Node} was not heard from for {Seconds} s; its rows left the wall")]
    private partial void LogNodeSilent(string node, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live wall: passing a batch on to node {Node} failed")]
    private partial void LogFanOutFailed(Exception exception, string node);
}
