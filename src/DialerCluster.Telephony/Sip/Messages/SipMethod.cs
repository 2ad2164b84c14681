namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>The request methods this user agent acts on; anything else is <see cref="Other"/> and answered 405 or ignored.</summary>
internal enum SipMethod : byte
{
    Other,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
}

internal static class SipMethods
{
    public static SipMethod Parse(ReadOnlySpan<byte> token) => token switch
    {
        _ when token.SequenceEqual("INVITE"u8) => SipMethod.Invite,
        _ when token.SequenceEqual("ACK"u8) => SipMethod.Ack,
        _ when token.SequenceEqual("BYE"u8) => SipMethod.Bye,
        _ when token.SequenceEqual("CANCEL"u8) => SipMethod.Cancel,
        _ when token.SequenceEqual("OPTIONS"u8) => SipMethod.Options,
        _ => SipMethod.Other,
    };

    public static ReadOnlySpan<byte> Name(SipMethod method) => method switch
    {
        SipMethod.Invite => "INVITE"u8,
        SipMethod.Ack => "ACK"u8,
        SipMethod.Bye => "BYE"u8,
        SipMethod.Cancel => "CANCEL"u8,
        SipMethod.Options => "OPTIONS"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Only the methods this user agent sends have a name here."),
    };
}
