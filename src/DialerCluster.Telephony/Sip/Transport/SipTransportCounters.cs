namespace DialerCluster.Telephony.Sip.Transport;

/// <summary>What crossed the wire, counted lock-free; read as a snapshot by the gateway's statistics.</summary>
internal sealed class SipTransportCounters
{
    private long _received;
    private long _sent;
    private long _malformed;
    private long _sendFailures;
    private long _handlerFaults;
    private long _retransmissions;

    public long Received => Interlocked.Read(ref _received);

    public long SentCount => Interlocked.Read(ref _sent);

    /// <summary>Datagrams or frames that were not SIP this user agent accepts: counted and dropped, never thrown.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>A well-formed message whose handling threw: a bug, logged and survived.</summary>
    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);

    /// <summary>Requests (Timers A, E) and ACKs or responses re-sent because the peer retransmitted.</summary>
    public long Retransmissions => Interlocked.Read(ref _retransmissions);

    public void Retransmitted() => Interlocked.Increment(ref _retransmissions);

    public void ReceivedOne() => Interlocked.Increment(ref _received);

    public void Sent() => Interlocked.Increment(ref _sent);

    public void MalformedOne() => Interlocked.Increment(ref _malformed);

    public void SendFailed() => Interlocked.Increment(ref _sendFailures);

    public void HandlerFault() => Interlocked.Increment(ref _handlerFaults);
}
