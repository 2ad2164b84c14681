using System.Net;
using System.Net.Sockets;

namespace DialerCluster.Testing.Sipp;

/// <summary>Free loopback ports, asked of the OS (bind to port 0, read, release). Another process may take one in
/// between; the tests run on a private loopback where that is rare and shows as a bind error, not a wrong result.</summary>
public static class FreePorts
{
    public static int Take(IPAddress address, bool tcp)
    {
        using var socket = tcp
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>An even UDP port whose +1, +2 and +3 are free too (SIPp's media echo uses the port and the one two above).</summary>
    public static int TakeMediaPair(IPAddress address)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Take(address, tcp: false) & ~1;
            if (port < 1024 || port > 65530)
            {
                continue;
            }

            if (Enumerable.Range(port, 4).All(p => IsFree(address, p)))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free even UDP port with three free neighbours on loopback.");
    }

    /// <summary>A range of <paramref name="count"/> UDP ports, all free now, for a gateway's RTP.</summary>
    public static (int First, int Last) TakeRange(IPAddress address, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Random.Shared.Next(30_000, 60_000 - count) & ~1;
            if (Enumerable.Range(first, count).All(p => IsFree(address, p)))
            {
                return (first, first + count - 1);
            }
        }

        throw new InvalidOperationException($"No {count} free UDP ports in a row on loopback.");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
