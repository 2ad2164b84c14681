using System.Net;
using System.Net.Sockets;

namespace DialerCluster.Telephony.Sip.Transport;

/// <summary>The node's one UDP socket, toward one address.</summary>
internal sealed class UdpFlow(Socket socket, SocketAddress address, IPEndPoint remote, SipTransportCounters counters) : SipFlow
{
    public override bool IsReliable => false;

    public override EndPoint Remote => remote;

    public override string Protocol => "UDP";

    public SocketAddress Address => address;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        try
        {
            socket.SendTo(message, SocketFlags.None, address);
            counters.Sent();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            counters.SendFailed();
            return false;
        }
    }
}
