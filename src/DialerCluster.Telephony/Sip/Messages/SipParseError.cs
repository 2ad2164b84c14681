namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>Why a datagram or stream frame was not a SIP message this user agent can act on.</summary>
internal enum SipParseError : byte
{
    None,

    /// <summary>Only CR LF: a keep-alive (RFC 5626 section 4.4.1), not an error.</summary>
    KeepAlive,
    TooLarge,
    BadStartLine,
    BadHeader,
    TooManyHeaders,
    MissingHeader,
    BadCSeq,
    BadVia,
    BadContentLength,

    /// <summary>Content-Length promises more body than arrived (RFC 3261 section 18.3: discard).</summary>
    Truncated,
}
