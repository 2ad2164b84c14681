namespace DialerCluster.Host.Metrics;

/// <summary>The tags of one series as recorded (keys and raw values), kept to compare later measurements against.</summary>
internal sealed class SeriesKey(string[] keys, object?[] values, int hash)
{
    public string[] Keys { get; } = keys;

    public object?[] Values { get; } = values;

    public int Hash { get; } = hash;

    /// <summary>The series this key leads to; set before the key is published.</summary>
    public MetricSeries? Series { get; set; }

    /// <summary>
    /// True when the measurement passes the very same key and value objects, in the same order, as the first
    /// measurement of this series did: the usual case for constants and cached grain-type names, and a check
    /// that costs a few pointer comparisons instead of hashing strings.
    /// </summary>
    public bool HasSameReferences(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keys = Keys;
        var values = Values;
        if (tags.Length != keys.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            if (!ReferenceEquals(tags[i].Key, keys[i]) || !ReferenceEquals(tags[i].Value, values[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The tags of a measurement in flight: a view over the listener's span, never copied on the hot path.</summary>
internal readonly ref struct TagView(ReadOnlySpan<KeyValuePair<string, object?>> tags)
{
    public ReadOnlySpan<KeyValuePair<string, object?>> Tags { get; } = tags;
}

/// <summary>
/// Lets the series table be probed with the measurement's tag span (ConcurrentDictionary's alternate lookup),
/// so finding an existing series allocates nothing. Tag order is not significant: callers may pass tags in any
/// order, so the hash is an order-independent sum and equality matches by key.
/// </summary>
internal sealed class SeriesKeyComparer : IEqualityComparer<SeriesKey>, IAlternateEqualityComparer<TagView, SeriesKey>
{
    public static SeriesKeyComparer Instance { get; } = new();

    public bool Equals(SeriesKey? x, SeriesKey? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Hash != y.Hash || x.Keys.Length != y.Keys.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Keys.Length; i++)
        {
            var j = IndexOf(y.Keys, x.Keys[i]);
            if (j < 0 || !object.Equals(x.Values[i], y.Values[j]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(SeriesKey obj) => obj.Hash;

    public bool Equals(TagView alternate, SeriesKey other)
    {
        var tags = alternate.Tags;
        if (tags.Length != other.Keys.Length)
        {
            return false;
        }

        for (var i = 0; i < tags.Length; i++)
        {
            // Same position first: one call site always passes its tags in the same order.
            var j = string.Equals(other.Keys[i], tags[i].Key, StringComparison.Ordinal) ? i : IndexOf(other.Keys, tags[i].Key);
            if (j < 0 || !object.Equals(tags[i].Value, other.Values[j]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(TagView alternate) => Hash(alternate.Tags);

    public SeriesKey Create(TagView alternate)
    {
        var tags = alternate.Tags;
        var keys = new string[tags.Length];
        var values = new object?[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            keys[i] = tags[i].Key;
            values[i] = tags[i].Value;
        }

        return new SeriesKey(keys, values, Hash(tags));
    }

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash = unchecked(hash + HashCode.Combine(tag.Key, tag.Value));
        }

        return hash;
    }

    private static int IndexOf(string[] keys, string key)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
