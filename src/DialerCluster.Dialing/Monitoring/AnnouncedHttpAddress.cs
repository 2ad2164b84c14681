namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// The HTTP address this node announces to the others on the wall (the node strip and GET /api/cluster link to it).
/// Orleans's membership knows a node's silo address only; the host sets this once its server listens.
/// </summary>
public sealed class AnnouncedHttpAddress
{
    private volatile string? _value;

    public string? Value
    {
        get => _value;
        set => _value = value;
    }
}
