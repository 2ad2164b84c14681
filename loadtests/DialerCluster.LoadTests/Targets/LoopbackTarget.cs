using System.Net;
using System.Net.Sockets;
using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Targets;

/// <summary>
/// Load goes to this machine only (127.0.0.0/8, ::1, localhost): checked on the URL given, and again on every
/// connection the shared client opens, so a scenario step can't aim elsewhere either. Other host names are refused
/// without being resolved.
/// </summary>
internal static class LoopbackTarget
{
    public static Uri ParseUrl(string? text, string field)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new BadInputException(field, $"'{text}' is not an absolute http:// or https:// URL");
        }

        if (!IsLoopbackHost(url.Host))
        {
            throw new BadInputException(field, $"host '{url.Host}' is not loopback; load tests send traffic to 127.0.0.1, ::1 or localhost only");
        }

        return url;
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        })
        {
            // The runner times every step itself and records a timeout as such; HttpClient's own would be a plain failure.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        if (!IsLoopbackHost(host))
        {
            throw new BadInputException("target", $"host '{host}' is not loopback; load tests send traffic to 127.0.0.1, ::1 or localhost only");
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : (await Dns.GetHostAddressesAsync(host, cancellationToken)).Where(IPAddress.IsLoopback).ToArray();
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
