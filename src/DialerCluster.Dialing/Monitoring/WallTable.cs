namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// One kind of thing on a wall that several nodes feed (agents, campaigns or imports): the latest snapshot of each,
/// with the node that reported it, so that a node's rows can be replaced or dropped together.
/// </summary>
/// <remarks>
/// A node's own later report always replaces its earlier one (its reports arrive in order). Between two nodes the
/// later <c>At</c> wins, ties going to the greater node name: a grain that moved to another node takes its row with
/// it, a stale activation that publishes late loses, and every node ends up with the same rows whatever order the
/// nodes' batches reach it in. Plain data with no lock: the live board and the wall grain each guard their own.
/// </remarks>
internal sealed class WallTable<TKey, TSnapshot>(Func<TSnapshot, TKey> keyOf, Func<TSnapshot, DateTimeOffset> atOf)
    where TKey : notnull
    where TSnapshot : class
{
    private readonly Dictionary<TKey, Entry> _entries = [];

    public int Count => _entries.Count;

    public IEnumerable<TSnapshot> Snapshots => _entries.Values.Select(e => e.Snapshot);

    public TSnapshot? Find(TKey key) => _entries.TryGetValue(key, out var entry) ? entry.Snapshot : null;

    public string? NodeOf(TKey key) => _entries.TryGetValue(key, out var entry) ? entry.Node : null;

    /// <summary>Takes <paramref name="snapshot"/> from <paramref name="node"/> unless another node reported a later one; true when it is now the row.</summary>
    public bool Put(TSnapshot snapshot, string node)
    {
        var key = keyOf(snapshot);
        if (_entries.TryGetValue(key, out var current) && current.Node != node && Beats(current, snapshot, node))
        {
            return false;
        }

        _entries[key] = new Entry(snapshot, node);
        return true;
    }

    /// <summary>Removes the row of <paramref name="key"/> if <paramref name="node"/> reported it (a row another node took over stays).</summary>
    public bool Remove(TKey key, string node)
    {
        if (!_entries.TryGetValue(key, out var current) || current.Node != node)
        {
            return false;
        }

        _entries.Remove(key);
        return true;
    }

    /// <summary>Removes every row <paramref name="node"/> reported, except those in <paramref name="keep"/>; returns the removed keys.</summary>
    public List<TKey> RemoveNode(string node, IReadOnlySet<TKey>? keep = null)
    {
        var removed = _entries.Where(e => e.Value.Node == node && keep?.Contains(e.Key) != true).Select(e => e.Key).ToList();
        foreach (var key in removed)
        {
            _entries.Remove(key);
        }

        return removed;
    }

    public TSnapshot[] Of(string node) => _entries.Values.Where(e => e.Node == node).Select(e => e.Snapshot).ToArray();

    private bool Beats(Entry current, TSnapshot candidate, string node)
    {
        var (held, offered) = (atOf(current.Snapshot), atOf(candidate));
        return held != offered ? held > offered : string.CompareOrdinal(current.Node, node) > 0;
    }

    private readonly record struct Entry(TSnapshot Snapshot, string Node);
}
