namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>
/// A parsed view over one SIP message's bytes: start line, an index of header positions and the body. Nothing is
/// copied or turned into strings while parsing; values are spans into <see cref="Raw"/>, so the view is valid only
/// while those bytes are (the transport parses each datagram in place and acts on it before receiving the next).
/// One instance is reused per receive loop.
/// </summary>
internal sealed partial class SipMessage
{
    /// <summary>RFC 3261 allows 65,535 bytes over UDP; nothing a trunk sends a dialer comes near it.</summary>
    public const int MaxLength = 65_535;

    public const int MaxHeaders = 128;

    private HeaderEntry[] _headers = new HeaderEntry[24];
    private Range _method;
    private Range _requestUri;
    private Range _reason;
    private Range _callId;
    private Range _fromTag;
    private Range _toTag;
    private Range _topVia;
    private Range _branch;
    private Range _body;

    public ReadOnlyMemory<byte> Raw { get; private set; }

    public bool IsRequest { get; private set; }

    /// <summary>The request's method; for a response, the method of its CSeq.</summary>
    public SipMethod Method { get; private set; }

    public int StatusCode { get; private set; }

    public int CSeq { get; private set; }

    /// <summary>Content-Length as sent, or the rest of the datagram when absent.</summary>
    public int ContentLength => _body.End.Value - _body.Start.Value;

    public int HeaderCount { get; private set; }

    public ReadOnlySpan<byte> MethodName => Slice(_method);

    public ReadOnlySpan<byte> RequestUri => Slice(_requestUri);

    public ReadOnlySpan<byte> ReasonPhrase => Slice(_reason);

    public ReadOnlySpan<byte> CallId => Slice(_callId);

    public ReadOnlySpan<byte> FromTag => Slice(_fromTag);

    /// <summary>Empty when the To header has no tag (a request outside a dialog, or a 100 Trying).</summary>
    public ReadOnlySpan<byte> ToTag => Slice(_toTag);

    /// <summary>The top Via, e.g. <c>SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK...</c>.</summary>
    public ReadOnlySpan<byte> TopVia => Slice(_topVia);

    public ReadOnlySpan<byte> Branch => Slice(_branch);

    public ReadOnlySpan<byte> Body => Slice(_body);

    public bool TryGet(SipHeader name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < HeaderCount; i++)
        {
            if (_headers[i].Name == name)
            {
                value = Slice(_headers[i].Value);
                return true;
            }
        }

        value = default;
        return false;
    }

    public SipHeader NameAt(int index) => _headers[index].Name;

    public ReadOnlySpan<byte> ValueAt(int index) => Slice(_headers[index].Value);

    /// <summary>The whole header line as received (name, colon, value), for echoing Via, From, To into a response.</summary>
    public ReadOnlySpan<byte> LineAt(int index) => Slice(new Range(_headers[index].Line.Start, _headers[index].Value.End));

    private ReadOnlySpan<byte> Slice(Range range) => Raw.Span[range];

    private readonly record struct HeaderEntry(SipHeader Name, Range Line, Range Value);
}
