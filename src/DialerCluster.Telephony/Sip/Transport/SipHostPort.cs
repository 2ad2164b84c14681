using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DialerCluster.Telephony.Sip.Transport;

/// <summary>A <c>host:port</c> as configured (<c>trunk.example.net:5060</c>, <c>192.0.2.10</c>, <c>[2001:db8::1]:5061</c>).</summary>
public sealed record SipHostPort(string Host, int Port)
{
    public const int DefaultPort = 5060;

    public static bool TryParse(string? text, out SipHostPort? value)
    {
        value = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        string host;
        var port = DefaultPort;
        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (rest[0] != ':' || !TryPort(rest[1..], out port)))
            {
                return false;
            }

            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (text.Count(c => c == ':') > 1)
        {
            // A bare IPv6 address: no port.
            if (!IPAddress.TryParse(text, out var bare) || bare.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = text;
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0 && !TryPort(text[(colon + 1)..], out port))
            {
                return false;
            }

            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }

        value = new SipHostPort(host, port);
        return true;
    }

    /// <summary>The host as it goes into a SIP URI: IPv6 in brackets.</summary>
    public string UriHost => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{UriHost}:{Port}");

    /// <summary>The address to send to: the literal, or the first DNS answer (IPv4 preferred, as most trunks are).</summary>
    public async Task<IPEndPoint> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(Host, out var literal))
        {
            return new IPEndPoint(literal, Port);
        }

        var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
        var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"The SIP trunk host '{Host}' has no address.");
        return new IPEndPoint(chosen, Port);
    }

    /// <summary>An address as it goes into a SIP URI or Via: IPv6 in brackets.</summary>
    public static string UriHostOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}
