using System.Net;
using System.Net.Sockets;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// The HTTP address a node announces to the others (the wall's node strip, GET /api/cluster): <c>Cluster:HttpAddress</c>
/// when set (a node behind a proxy or a container port mapping), otherwise the first address the server listens on,
/// with a wildcard host (<c>0.0.0.0</c>, <c>[::]</c>, <c>+</c>, <c>*</c>) replaced by the node's advertised address.
/// </summary>
internal static class NodeHttpAddress
{
    public const string SettingKey = "Cluster:HttpAddress";

    /// <summary>The configured address, checked; a bad value stops the start-up naming the key.</summary>
    public static Uri? Configured(IConfiguration configuration)
    {
        var text = configuration[SettingKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
                ? uri
                : throw new InvalidOperationException(
                    $"{SettingKey} must be this node's absolute http:// or https:// address as other nodes and browsers reach it (no query, no user), not '{text}'.");
    }

    /// <summary>What the node announces; null when it has neither a setting nor an address it listens on.</summary>
    public static string? Choose(Uri? configured, IEnumerable<string> listening, IPAddress advertised)
    {
        if (configured is not null)
        {
            return configured.GetLeftPart(UriPartial.Path).TrimEnd('/');
        }

        foreach (var address in listening)
        {
            BindingAddress binding;
            try
            {
                binding = BindingAddress.Parse(address);
            }
            catch (FormatException)
            {
                continue;
            }

            if (binding.IsUnixPipe || binding.Port <= 0)
            {
                continue;
            }

            var host = IsWildcard(binding.Host) ? Literal(advertised) : binding.Host;
            return $"{binding.Scheme}://{host}:{binding.Port}{binding.PathBase}".TrimEnd('/');
        }

        return null;
    }

    private static bool IsWildcard(string host) =>
        host is "+" or "*" or "0.0.0.0" or "[::]" or "::";

    private static string Literal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
