using System.Globalization;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// Where this node's silo listens and which cluster it joins (<c>Cluster:*</c>). A bad or clashing value stops the
/// start-up naming the key: a node that joined the wrong cluster or no cluster at all must not serve.
/// </summary>
internal sealed record ClusterSettings(string Id, int SiloPort, int GatewayPort)
{
    public const string DefaultId = "dialer";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public static ClusterSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Cluster");
        var id = section["Id"] is { Length: > 0 } given ? given.Trim() : DefaultId;
        if (id.Length > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new InvalidOperationException($"Cluster:Id must be 1 to 100 letters, digits, '-', '_' or '.', not '{id}'.");
        }

        var silo = Port(section, "SiloPort", DefaultSiloPort);
        var gateway = Port(section, "GatewayPort", DefaultGatewayPort);
        if (silo == gateway)
        {
            throw new InvalidOperationException($"Cluster:SiloPort and Cluster:GatewayPort must differ; both are {silo}.");
        }

        return new ClusterSettings(id, silo, gateway);
    }

    private static int Port(IConfigurationSection section, string key, int fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"Cluster:{key} must be a port number from 1 to 65535, not '{text}'.");
    }
}
