namespace DialerCluster.Runtime;

/// <summary>Identity of a grain: its type name and a string key. Exactly one activation exists per id.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
