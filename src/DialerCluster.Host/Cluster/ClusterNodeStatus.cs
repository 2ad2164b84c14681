namespace DialerCluster.Host.Cluster;

/// <summary>A node's status as GET /api/cluster and the wall's node strip name it, from Orleans's <see cref="SiloStatus"/>.</summary>
internal static class ClusterNodeStatus
{
    public const string Joining = "joining";
    public const string Active = "active";
    public const string Stopping = "stopping";
    public const string Dead = "dead";

    public static string Of(SiloStatus status) => status switch
    {
        SiloStatus.None or SiloStatus.Created or SiloStatus.Joining => Joining,
        SiloStatus.Active => Active,
        SiloStatus.ShuttingDown or SiloStatus.Stopping => Stopping,
        SiloStatus.Dead => Dead,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "a silo status Orleans added after 10.4"),
    };
}
