using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DialerCluster.Testing;

/// <summary>Free ports on 127.0.0.1 for the servers tests start: hosts, their Orleans silos, databases, Prometheus.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free at this moment (the kernel's choice; another process could still take it before it is used).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The settings (<c>Cluster:SiloPort</c>, <c>Cluster:GatewayPort</c>) that give a test host's Orleans silo ports of its
    /// own, so that several hosts run side by side, and beside a node on the default ports.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SiloSettings()
    {
        var silo = Free();
        var gateway = Free();
        while (gateway == silo)
        {
            gateway = Free();
        }

        return new Dictionary<string, string>
        {
            ["Cluster:SiloPort"] = silo.ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = gateway.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary><see cref="SiloSettings"/> as environment variables for a host started as a child process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> SiloEnvironment() =>
        SiloSettings().Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));
}
