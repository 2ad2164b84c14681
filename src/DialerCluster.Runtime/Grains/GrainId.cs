namespace DialerCluster.Runtime;

/// <summary>Identity of a grain: its type name and a string key. Exactly one activation exists per id.</summary>
public readonly struct GrainId : IEquatable<GrainId>
{
    // Computed once: every call looks its activation up by id, so hashing two strings per call would show.
    private readonly int _hash;

    public GrainId(string type, string key)
    {
        Type = type;
        Key = key;
        _hash = HashCode.Combine(type, key);
    }

    public string Type { get; }

    public string Key { get; }

    public bool Equals(GrainId other)
        => _hash == other._hash && string.Equals(Key, other.Key, StringComparison.Ordinal) && string.Equals(Type, other.Type, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is GrainId other && Equals(other);

    public override int GetHashCode() => _hash;

    public override string ToString() => $"{Type}/{Key}";

    public static bool operator ==(GrainId left, GrainId right) => left.Equals(right);

    public static bool operator !=(GrainId left, GrainId right) => !left.Equals(right);
}
