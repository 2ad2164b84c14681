using System.Collections.Concurrent;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// The grain references of the request hot paths (Next case, complete), made once per agent and campaign rather than on
/// every request: making one resolves the interface's proxy type and allocates, a cached one is a dictionary read.
/// Bounded: ids come from requests, so past <see cref="Capacity"/> entries the cache starts over.
/// </summary>
public sealed class HotGrainReferences(IGrainFactory grains)
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<long, IAgentGrain> _agents = new();
    private readonly ConcurrentDictionary<long, ICampaignGrain> _campaigns = new();

    public IAgentGrain Agent(long id) => Cached(_agents, id, static (id, g) => g.GetGrain<IAgentGrain>(id));

    public ICampaignGrain Campaign(long id) => Cached(_campaigns, id, static (id, g) => g.GetGrain<ICampaignGrain>(id));

    private T Cached<T>(ConcurrentDictionary<long, T> cache, long id, Func<long, IGrainFactory, T> make)
    {
        if (cache.TryGetValue(id, out var reference))
        {
            return reference;
        }

        if (cache.Count >= Capacity)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(id, make, grains);
    }
}
