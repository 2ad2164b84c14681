using System.Collections.Concurrent;
using System.Threading.Channels;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// The live wall as this node sees it: grains publish agent and campaign snapshots, the import publishes its progress;
/// the monitor reads the latest of each, and subscribers (a server-sent-events stream) get every change.
/// Thread-safe: grains of many activations publish at once.
/// </summary>
/// <remarks>
/// <para>
/// Each subscriber has its own bounded channel that drops its OLDEST events when full: a slow browser
/// must never slow a grain's turn, and the newest snapshot of a thing supersedes the older ones anyway.
/// </para>
/// <para>
/// In a cluster the board also holds the other nodes' rows: <see cref="WallRelay"/> sends this node's changes to the
/// wall grain in batches and merges what the other nodes sent (<see cref="WallState"/> decides which row wins and
/// when a silent node's rows leave). Publishing only records the change here; nothing on a grain's turn waits for
/// another node.
/// </para>
/// </remarks>
public sealed class LiveBoard
{
    public const int SubscriberCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly WallState _wall = new();
    private readonly WallOutbox _outbox = new();
    private readonly ConcurrentDictionary<LiveSubscription, byte> _subscribers = new();
    private readonly TimeProvider _time;

    public LiveBoard(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public int SubscriberCount => _subscribers.Count;

    public void Publish(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        lock (_gate)
        {
            if (_wall.Put(agent, WallState.Here))
            {
                _outbox.Add(agent);
                Broadcast(new AgentChanged(agent));
            }
        }
    }

    public void Publish(CampaignSnapshot campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        lock (_gate)
        {
            if (_wall.Put(campaign, WallState.Here))
            {
                _outbox.Add(campaign);
                Broadcast(new CampaignChanged(campaign));
            }
        }
    }

    public void Publish(ImportSnapshot import)
    {
        ArgumentNullException.ThrowIfNull(import);
        lock (_gate)
        {
            if (_wall.Put(import, WallState.Here))
            {
                _outbox.Add(import);
                Broadcast(new ImportChanged(import));
            }
        }
    }

    /// <summary>A finished import leaves the wall (its result went back to whoever uploaded it).</summary>
    public void Forget(string importId)
    {
        lock (_gate)
        {
            if (_wall.Forget(importId, WallState.Here))
            {
                _outbox.Gone(importId);
            }
        }
    }

    public AgentSnapshot? Agent(long agentId)
    {
        lock (_gate)
        {
            return _wall.Agent(agentId);
        }
    }

    public CampaignSnapshot? Campaign(long campaignId)
    {
        lock (_gate)
        {
            return _wall.Campaign(campaignId);
        }
    }

    public MonitorSnapshot Snapshot()
    {
        AgentSnapshot[] agents;
        CampaignSnapshot[] campaigns;
        ImportSnapshot[] imports;
        lock (_gate)
        {
            (agents, campaigns, imports) = ([.. _wall.Agents], [.. _wall.Campaigns], [.. _wall.Imports]);
        }

        // Sorted outside the lock: publishing grains wait for the copy only.
        Array.Sort(agents, static (a, b) => a.AgentId.CompareTo(b.AgentId));
        Array.Sort(campaigns, static (a, b) => a.CampaignId.CompareTo(b.CampaignId));
        Array.Sort(imports, static (a, b) => a.At.CompareTo(b.At));
        return new MonitorSnapshot(agents, campaigns, imports, _time.GetUtcNow());
    }

    /// <summary>Every change from now on, until the subscription is disposed. Read the snapshot after subscribing to miss nothing.</summary>
    public LiveSubscription Subscribe()
    {
        var subscription = new LiveSubscription(this, Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        }));
        _subscribers.TryAdd(subscription, 0);
        return subscription;
    }

    internal void Unsubscribe(LiveSubscription subscription) => _subscribers.TryRemove(subscription, out _);

    /// <summary>This node's changes since the last call, as a batch from <paramref name="node"/>; null when there are none.</summary>
    internal WallBatch? TakeChanges(string node)
    {
        lock (_gate)
        {
            return _outbox.Take(node);
        }
    }

    /// <summary>Everything this node's own grains and imports put on the wall, as a full batch from <paramref name="node"/>.</summary>
    internal WallBatch TakeAll(string node)
    {
        lock (_gate)
        {
            // The full batch covers whatever was pending.
            _outbox.Clear();
            return _wall.FullBatch(WallState.Here, node);
        }
    }

    /// <summary>Another node's batch, heard at <paramref name="now"/>; subscribers see what it changed.</summary>
    internal void Merge(WallBatch batch, DateTimeOffset now)
    {
        var changes = new List<LiveEvent>();
        lock (_gate)
        {
            _wall.Apply(batch, now, changes);
            foreach (var change in changes)
            {
                Broadcast(change);
            }
        }
    }

    /// <summary>Drops the rows of the nodes not heard from since <paramref name="heardBefore"/>.</summary>
    internal void Expire(DateTimeOffset heardBefore, DateTimeOffset now)
    {
        var changes = new List<LiveEvent>();
        lock (_gate)
        {
            _wall.Expire(heardBefore, now, changes);
            foreach (var change in changes)
            {
                Broadcast(change);
            }
        }
    }

    // Under the lock, so that every subscriber sees the changes in the order the board took them.
    private void Broadcast(LiveEvent change)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            subscriber.Offer(change);
        }
    }
}

/// <summary>A subscriber's stream of <see cref="LiveEvent"/>s. Dispose to stop receiving.</summary>
public sealed class LiveSubscription : IDisposable
{
    private readonly LiveBoard _board;
    private readonly Channel<LiveEvent> _channel;

    internal LiveSubscription(LiveBoard board, Channel<LiveEvent> channel)
    {
        _board = board;
        _channel = channel;
    }

    public ChannelReader<LiveEvent> Events => _channel.Reader;

    public void Dispose()
    {
        _board.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    internal void Offer(LiveEvent change) => _channel.Writer.TryWrite(change);
}
