using System.Net;
using System.Net.Sockets;
using DialerCluster.Telephony.Sip.Messages;

namespace DialerCluster.Telephony.Sip.Sdp;

/// <summary>
/// The offer in every INVITE (RFC 3264 and 4566): one audio stream at this node's RTP port for the call, G.711 µ-law
/// and A-law (what every PSTN trunk takes) and RFC 4733 telephone-event for DTMF, 20 ms packets.
/// </summary>
internal static class SdpOffer
{
    public const int Pcmu = 0;
    public const int Pcma = 8;
    public const int TelephoneEvent = 101;

    public static byte[] Write(IPAddress address, int port, long sessionId)
    {
        var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6 "u8 : "IP4 "u8;
        var host = address.ToString();
        var sdp = SipWriter.Rent();
        sdp.Append("v=0\r\no=- "u8).Append(sessionId).Append(" 1 IN "u8).Append(family).Append(host).CrLf()
            .Append("s=DialerCluster\r\nc=IN "u8).Append(family).Append(host).CrLf()
            .Append("t=0 0\r\nm=audio "u8).Append(port).Append(" RTP/AVP 0 8 101\r\n"u8)
            .Append("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"u8)
            .Append("a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"u8);
        return sdp.ToArray();
    }
}
