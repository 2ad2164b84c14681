using System.Net;

namespace DialerCluster.Telephony.Sip.Transport;

/// <summary>A way to one peer: the node's UDP socket toward an address, or a TCP connection. Requests and their
/// retransmissions, ACKs and CANCELs of a transaction all leave through the flow its request used.</summary>
internal abstract class SipFlow
{
    /// <summary>TCP: no retransmissions, and Timers D, J and K are zero (RFC 3261 section 17).</summary>
    public abstract bool IsReliable { get; }

    public abstract EndPoint Remote { get; }

    /// <summary>"UDP" or "TCP", for Via.</summary>
    public abstract string Protocol { get; }

    /// <summary>Sends one message. False when the transport failed (connection gone, socket closed): a transport error
    /// for the transaction (RFC 3261 section 17.1.4), never an exception.</summary>
    public abstract bool Send(ReadOnlySpan<byte> message);
}
