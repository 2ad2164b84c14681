using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace DialerCluster.Host.Metrics;

internal enum MetricsVerdict
{
    Serve,

    /// <summary>Asked on the main port while metrics have a port of their own: as if there were no such page.</summary>
    NotFound,

    /// <summary>A scrape token is configured and the request did not bring it.</summary>
    Unauthorized,

    /// <summary>No token and no metrics port: only this machine may read the metrics.</summary>
    Forbidden,
}

/// <summary>Who may read /metrics (issue 15, "internals readable anonymously"); see <see cref="MetricsOptions"/>.</summary>
internal static class MetricsAccess
{
    public static MetricsVerdict Decide(MetricsOptions options, int localPort, IPAddress? remote, string? authorization)
    {
        if (options.Url is { } url && localPort != url.Port)
        {
            return MetricsVerdict.NotFound;
        }

        if (options.ScrapeToken is { } token)
        {
            return BearerMatches(authorization, token) ? MetricsVerdict.Serve : MetricsVerdict.Unauthorized;
        }

        return options.Url is not null || (remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
            ? MetricsVerdict.Serve
            : MetricsVerdict.Forbidden;
    }

    /// <summary>Compared in constant time: how long a refusal takes must not tell how much of the token was right.</summary>
    private static bool BearerMatches(string? authorization, string token)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var sent = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(sent, expected);
    }
}
