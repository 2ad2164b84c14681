namespace DialerCluster.Telephony.Sip;

/// <summary>Counters of the SIP gateway since it started.</summary>
public sealed record SipGatewayStatistics(
    long Originated,
    long ActiveCalls,
    long MessagesReceived,
    long MessagesSent,
    long MalformedDropped,
    long Retransmissions,
    long HandlerFaults,
    long StrayMessages);

/// <summary>The media of one call: RTP packets received from the far end and silence sent to it; whether early media (a 1xx with SDP) was offered.</summary>
public sealed record SipCallMedia(int LocalPort, long PacketsReceived, long PacketsSent, bool EarlyMedia);
