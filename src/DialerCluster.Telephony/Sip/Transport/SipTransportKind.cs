namespace DialerCluster.Telephony.Sip.Transport;

public enum SipTransportKind
{
    Udp,
    Tcp,
}
