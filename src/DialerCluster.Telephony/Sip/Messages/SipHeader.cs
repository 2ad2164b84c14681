namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>The headers this user agent reads. Every other header is kept as <see cref="Other"/> and only echoed or skipped.</summary>
internal enum SipHeader : byte
{
    Other,
    Via,
    From,
    To,
    CallId,
    CSeq,
    Contact,
    ContentLength,
    ContentType,
    RecordRoute,
    Route,
    WwwAuthenticate,
    ProxyAuthenticate,
    MaxForwards,
}

internal static class SipHeaders
{
    /// <summary>Header names are case-insensitive; the compact forms of RFC 3261 section 7.3.3 are accepted too.</summary>
    public static SipHeader Parse(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            return (name[0] | 0x20) switch
            {
                'v' => SipHeader.Via,
                'f' => SipHeader.From,
                't' => SipHeader.To,
                'i' => SipHeader.CallId,
                'm' => SipHeader.Contact,
                'l' => SipHeader.ContentLength,
                'c' => SipHeader.ContentType,
                _ => SipHeader.Other,
            };
        }

        return name.Length switch
        {
            2 when SipSyntax.EqualsIgnoreCase(name, "To"u8) => SipHeader.To,
            3 when SipSyntax.EqualsIgnoreCase(name, "Via"u8) => SipHeader.Via,
            4 when SipSyntax.EqualsIgnoreCase(name, "From"u8) => SipHeader.From,
            4 when SipSyntax.EqualsIgnoreCase(name, "CSeq"u8) => SipHeader.CSeq,
            5 when SipSyntax.EqualsIgnoreCase(name, "Route"u8) => SipHeader.Route,
            7 when SipSyntax.EqualsIgnoreCase(name, "Call-ID"u8) => SipHeader.CallId,
            7 when SipSyntax.EqualsIgnoreCase(name, "Contact"u8) => SipHeader.Contact,
            12 when SipSyntax.EqualsIgnoreCase(name, "Record-Route"u8) => SipHeader.RecordRoute,
            12 when SipSyntax.EqualsIgnoreCase(name, "Content-Type"u8) => SipHeader.ContentType,
            12 when SipSyntax.EqualsIgnoreCase(name, "Max-Forwards"u8) => SipHeader.MaxForwards,
            14 when SipSyntax.EqualsIgnoreCase(name, "Content-Length"u8) => SipHeader.ContentLength,
            16 when SipSyntax.EqualsIgnoreCase(name, "WWW-Authenticate"u8) => SipHeader.WwwAuthenticate,
            18 when SipSyntax.EqualsIgnoreCase(name, "Proxy-Authenticate"u8) => SipHeader.ProxyAuthenticate,
            _ => SipHeader.Other,
        };
    }
}
