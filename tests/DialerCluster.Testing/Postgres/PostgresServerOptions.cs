namespace DialerCluster.Testing;

/// <summary>Settings for a throwaway <see cref="PostgresServer"/>.</summary>
public sealed record PostgresServerOptions
{
    /// <summary>How long initdb plus start-up may take before the server is declared failed.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Room for several connection pools (hosts started as child processes, parallel test classes).</summary>
    public int MaxConnections { get; init; } = 300;

    /// <summary>Extra postgresql.conf settings, written verbatim as <c>name = value</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
