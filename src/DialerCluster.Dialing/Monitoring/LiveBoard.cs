using System.Collections.Concurrent;
using System.Threading.Channels;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// The node's live wall: grains publish agent and campaign snapshots, the import publishes its progress;
/// the monitor reads the latest of each, and subscribers (a server-sent-events stream) get every change.
/// Thread-safe: grains of many activations publish at once.
/// </summary>
/// <remarks>
/// Each subscriber has its own bounded channel that drops its OLDEST events when full: a slow browser
/// must never slow a grain's turn, and the newest snapshot of a thing supersedes the older ones anyway.
/// </remarks>
public sealed class LiveBoard
{
    public const int SubscriberCapacity = 1024;

    private readonly ConcurrentDictionary<long, AgentSnapshot> _agents = new();
    private readonly ConcurrentDictionary<long, CampaignSnapshot> _campaigns = new();
    private readonly ConcurrentDictionary<string, ImportSnapshot> _imports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<LiveSubscription, byte> _subscribers = new();
    private readonly TimeProvider _time;

    public LiveBoard(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public int SubscriberCount => _subscribers.Count;

    public void Publish(AgentSnapshot agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agents[agent.AgentId] = agent;
        Broadcast(new AgentChanged(agent));
    }

    public void Publish(CampaignSnapshot campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        _campaigns[campaign.CampaignId] = campaign;
        Broadcast(new CampaignChanged(campaign));
    }

    public void Publish(ImportSnapshot import)
    {
        ArgumentNullException.ThrowIfNull(import);
        _imports[import.ImportId] = import;
        Broadcast(new ImportChanged(import));
    }

    /// <summary>A finished import leaves the wall (its result went back to whoever uploaded it).</summary>
    public void Forget(string importId) => _imports.TryRemove(importId, out _);

    public AgentSnapshot? Agent(long agentId) => _agents.TryGetValue(agentId, out var agent) ? agent : null;

    public CampaignSnapshot? Campaign(long campaignId) => _campaigns.TryGetValue(campaignId, out var campaign) ? campaign : null;

    public MonitorSnapshot Snapshot() => new(
        _agents.Values.OrderBy(a => a.AgentId).ToArray(),
        _campaigns.Values.OrderBy(c => c.CampaignId).ToArray(),
        _imports.Values.OrderBy(i => i.At).ToArray(),
        _time.GetUtcNow());

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
