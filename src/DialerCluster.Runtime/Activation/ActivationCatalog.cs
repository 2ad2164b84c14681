using System.Collections.Concurrent;

namespace DialerCluster.Runtime;

/// <summary>
/// The directory of live activations. GetOrAdd may build a spare Activation object under a race,
/// but only the one stored in the dictionary is ever activated, so each id has exactly one.
/// </summary>
internal sealed class ActivationCatalog(GrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private long _active;

    public long ActiveCount => Interlocked.Read(ref _active);

    public ICollection<Activation> All => _activations.Values;

    public Activation GetOrCreate(GrainId id, GrainTypeInfo type)
    {
        if (_activations.TryGetValue(id, out var activation))
        {
            return activation;
        }

        return _activations.GetOrAdd(
            id,
            static (id, s) => new Activation(s.runtime, id, s.type.Name, s.type.Construct),
            (runtime, type));
    }

    public void Remove(Activation activation) => _activations.TryRemove(KeyValuePair.Create(activation.Id, activation));

    public void OnActivated() => Interlocked.Increment(ref _active);

    public void OnDeactivated() => Interlocked.Decrement(ref _active);

    public long MailboxLength()
    {
        long total = 0;
        foreach (var (_, activation) in _activations)
        {
            total += activation.QueueLength;
        }

        return total;
    }
}
