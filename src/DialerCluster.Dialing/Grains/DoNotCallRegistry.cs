using System.Collections.Concurrent;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// The node's do-not-call list, shared by every campaign grain. Loaded at start from
/// <see cref="IDoNotCallStore"/>, changed only through <see cref="AddAsync"/>/<see cref="RemoveAsync"/>
/// so memory and database agree. Lookups are lock-free: routing asks once per case it looks at.
/// </summary>
public sealed class DoNotCallRegistry(IDoNotCallStore store) : IDoNotCallList
{
    private readonly ConcurrentDictionary<string, byte> _phones = new(StringComparer.Ordinal);
    private long _removals;

    public int Count => _phones.Count;

    /// <summary>
    /// Rises with every removal. Campaign queues park listed cases as they meet them; a removal is their
    /// cue to put parked cases back (<see cref="CampaignQueue.RequeueParked"/>).
    /// </summary>
    public long RemovalGeneration => Interlocked.Read(ref _removals);

    public bool Contains(string phone) => _phones.ContainsKey(phone);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var phone in await store.AllAsync(cancellationToken))
        {
            _phones.TryAdd(phone, 0);
        }
    }

    /// <returns>False when the number was already listed.</returns>
    public async Task<bool> AddAsync(string phone, string? reason, CancellationToken cancellationToken)
    {
        // Memory first: from this moment no campaign offers the number, even while the write commits.
        // A failed write takes it back out unless it was listed before.
        var wasListed = !_phones.TryAdd(phone, 0);
        try
        {
            return await store.AddAsync(phone, reason, cancellationToken);
        }
        catch
        {
            if (!wasListed)
            {
                _phones.TryRemove(phone, out _);
            }

            throw;
        }
    }

    /// <summary>
    /// Lists every number at once: all of them are blocked in memory before the write, and the write is one
    /// transaction, so a failure leaves neither the database nor memory half-changed.
    /// </summary>
    /// <returns>How many were new.</returns>
    public async Task<int> ImportAsync(IReadOnlyList<DoNotCallEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var blockedHere = entries.Where(e => _phones.TryAdd(e.Phone, 0)).Select(e => e.Phone).ToArray();
        try
        {
            return await store.AddManyAsync(entries, cancellationToken);
        }
        catch
        {
            foreach (var phone in blockedHere)
            {
                _phones.TryRemove(phone, out _);
            }

            throw;
        }
    }

    /// <returns>False when the number was not listed.</returns>
    public async Task<bool> RemoveAsync(string phone, CancellationToken cancellationToken)
    {
        // Database first: a number stays blocked until its removal is durable.
        var removed = await store.RemoveAsync(phone, cancellationToken);
        if (_phones.TryRemove(phone, out _) || removed)
        {
            Interlocked.Increment(ref _removals);
        }

        return removed;
    }
}
