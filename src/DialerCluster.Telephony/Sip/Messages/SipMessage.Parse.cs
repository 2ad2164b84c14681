using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DialerCluster.Telephony.Sip.Messages;

internal sealed partial class SipMessage
{
    /// <summary>
    /// Parses <paramref name="message"/> in place, strictly: CR LF line ends, a SIP/2.0 start line, token header names,
    /// Via (with a branch), From, To, Call-ID and a CSeq whose method matches the request. Folded header lines are
    /// accepted (RFC 3261 section 7.3.1). On failure the view is left empty and the reason returned; it never throws.
    /// </summary>
    public SipParseError TryParse(ReadOnlyMemory<byte> message)
    {
        Reset();
        var error = Parse(message);
        if (error != SipParseError.None)
        {
            Reset();
        }

        return error;
    }

    /// <summary>How many bytes the head of a stream buffer occupies up to and including the blank line, or -1 if incomplete.</summary>
    public static int HeadLength(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>Content-Length of a message head (for stream framing), or -1 when absent or not a number.</summary>
    public static int ContentLengthOf(ReadOnlySpan<byte> head)
    {
        var lineStart = head.IndexOf("\r\n"u8);
        while (lineStart >= 0 && lineStart + 2 < head.Length)
        {
            var rest = head[(lineStart + 2)..];
            var lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && SipHeaders.Parse(SipSyntax.Trim(line[..colon])) == SipHeader.ContentLength)
            {
                return SipSyntax.TryParseNumber(SipSyntax.Trim(line[(colon + 1)..]), out var length) ? length : -1;
            }

            if (lineEnd < 0)
            {
                break;
            }

            lineStart += 2 + lineEnd;
        }

        return -1;
    }

    private void Reset()
    {
        Raw = default;
        IsRequest = false;
        Method = SipMethod.Other;
        StatusCode = 0;
        CSeq = 0;
        HeaderCount = 0;
        _method = _requestUri = _reason = _callId = _fromTag = _toTag = _topVia = _branch = _body = default;
    }

    private SipParseError Parse(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length > MaxLength)
        {
            return SipParseError.TooLarge;
        }

        if (span.TrimStart("\r\n"u8).IsEmpty)
        {
            return SipParseError.KeepAlive;
        }

        Raw = message;
        var lineEnd = span.IndexOf("\r\n"u8);
        if (lineEnd <= 0)
        {
            return SipParseError.BadStartLine;
        }

        if (!ParseStartLine(span[..lineEnd]))
        {
            return SipParseError.BadStartLine;
        }

        var position = lineEnd + 2;
        var headError = ParseHeaders(span, ref position);
        if (headError != SipParseError.None)
        {
            return headError;
        }

        return ReadMandatoryHeaders(span.Length - position, position);
    }

    private bool ParseStartLine(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("SIP/2.0 "u8))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
            if (line.Length < 11 || (line.Length > 11 && line[11] != ' ')
                || !SipSyntax.TryParseNumber(line.Slice(8, 3), out var status) || status is < 100 or > 699)
            {
                return false;
            }

            IsRequest = false;
            StatusCode = status;
            _reason = line.Length > 12 ? new Range(12, line.Length) : new Range(line.Length, line.Length);
            return ContainsNoControl(line);
        }

        // Request-Line = Method SP Request-URI SP SIP-Version
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return false;
        }

        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0 || !rest[(secondSpace + 1)..].SequenceEqual("SIP/2.0"u8))
        {
            return false;
        }

        var method = line[..firstSpace];
        var uri = rest[..secondSpace];
        if (!SipSyntax.IsToken(method) || uri.IndexOf((byte)':') <= 0 || !ContainsNoControl(uri))
        {
            return false;
        }

        IsRequest = true;
        Method = SipMethods.Parse(method);
        _method = new Range(0, firstSpace);
        _requestUri = new Range(firstSpace + 1, firstSpace + 1 + secondSpace);
        return true;
    }

    private SipParseError ParseHeaders(ReadOnlySpan<byte> span, ref int position)
    {
        while (true)
        {
            if (position > span.Length - 2)
            {
                // No blank line: the head never ended.
                return SipParseError.BadHeader;
            }

            var rest = span[position..];
            var lineEnd = rest.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return SipParseError.BadHeader;
            }

            if (lineEnd == 0)
            {
                position += 2;
                return SipParseError.None;
            }

            // A folded line continues the previous header's value.
            if (rest[0] is (byte)' ' or (byte)'\t')
            {
                if (HeaderCount == 0)
                {
                    return SipParseError.BadHeader;
                }

                ref var last = ref _headers[HeaderCount - 1];
                last = last with { Value = new Range(last.Value.Start, position + lineEnd) };
                position += lineEnd + 2;
                continue;
            }

            var line = rest[..lineEnd];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return SipParseError.BadHeader;
            }

            var rawName = line[..colon];
            var name = rawName.TrimEnd(" \t"u8);
            if (!SipSyntax.IsToken(name) || !ContainsNoControl(line[(colon + 1)..]))
            {
                return SipParseError.BadHeader;
            }

            if (HeaderCount == MaxHeaders)
            {
                return SipParseError.TooManyHeaders;
            }

            if (HeaderCount == _headers.Length)
            {
                Array.Resize(ref _headers, _headers.Length * 2);
            }

            var valueStart = position + colon + 1;
            while (valueStart < position + lineEnd && span[valueStart] is (byte)' ' or (byte)'\t')
            {
                valueStart++;
            }

            _headers[HeaderCount++] = new HeaderEntry(SipHeaders.Parse(name), new Range(position, position + colon), new Range(valueStart, position + lineEnd));
            position += lineEnd + 2;
        }
    }

    private SipParseError ReadMandatoryHeaders(int bodyAvailable, int bodyStart)
    {
        var span = Raw.Span;
        int? contentLength = null;
        bool via = false, from = false, to = false, callId = false, cseq = false;
        for (var i = 0; i < HeaderCount; i++)
        {
            var entry = _headers[i];
            var value = SipSyntax.Trim(span[entry.Value]);
            switch (entry.Name)
            {
                case SipHeader.Via when !via:
                    via = true;
                    if (!ReadTopVia(value))
                    {
                        return SipParseError.BadVia;
                    }

                    break;
                case SipHeader.From when !from:
                    from = true;
                    if (!SipSyntax.TryGetUri(value, out _))
                    {
                        return SipParseError.BadHeader;
                    }

                    _fromTag = TagRange(value);
                    break;
                case SipHeader.To when !to:
                    to = true;
                    if (!SipSyntax.TryGetUri(value, out _))
                    {
                        return SipParseError.BadHeader;
                    }

                    _toTag = TagRange(value);
                    break;
                case SipHeader.CallId when !callId:
                    callId = true;
                    if (value.IsEmpty || value.IndexOfAny(" \t\r\n"u8) >= 0)
                    {
                        return SipParseError.BadHeader;
                    }

                    _callId = RangeOf(value);
                    break;
                case SipHeader.CSeq when !cseq:
                    cseq = true;
                    if (!ReadCSeq(value))
                    {
                        return SipParseError.BadCSeq;
                    }

                    break;
                case SipHeader.ContentLength when contentLength is null:
                    if (!SipSyntax.TryParseNumber(value, out var length))
                    {
                        return SipParseError.BadContentLength;
                    }

                    contentLength = length;
                    break;
                case SipHeader.Via or SipHeader.From or SipHeader.To or SipHeader.CallId or SipHeader.CSeq or SipHeader.ContentLength
                    when entry.Name != SipHeader.Via:
                    // Single-valued headers twice: ambiguous, and a classic smuggling trick.
                    return entry.Name == SipHeader.ContentLength ? SipParseError.BadContentLength : SipParseError.BadHeader;
            }
        }

        if (!(via && from && to && callId && cseq))
        {
            return SipParseError.MissingHeader;
        }

        if (contentLength is { } declared)
        {
            if (declared > bodyAvailable)
            {
                return SipParseError.Truncated;
            }

            _body = new Range(bodyStart, bodyStart + declared);
        }
        else
        {
            _body = new Range(bodyStart, bodyStart + bodyAvailable);
        }

        return SipParseError.None;
    }

    private bool ReadTopVia(ReadOnlySpan<byte> value)
    {
        var top = SipSyntax.FirstListElement(value);
        if (!top.StartsWith("SIP/2.0/"u8) || top.IndexOf((byte)' ') < 0)
        {
            return false;
        }

        _topVia = RangeOf(top);
        var semicolon = top.IndexOf((byte)';');
        if (semicolon < 0 || !SipSyntax.TryGetParameter(top[semicolon..], "branch"u8, out var branch) || branch.IsEmpty)
        {
            return false;
        }

        _branch = RangeOf(branch);
        return true;
    }

    private bool ReadCSeq(ReadOnlySpan<byte> value)
    {
        var space = value.IndexOfAny(" \t"u8);
        if (space <= 0 || !SipSyntax.TryParseNumber(value[..space], out var number))
        {
            return false;
        }

        var method = SipSyntax.Trim(value[space..]);
        if (!SipSyntax.IsToken(method))
        {
            return false;
        }

        if (IsRequest && !method.SequenceEqual(MethodName))
        {
            return false;
        }

        CSeq = number;
        if (!IsRequest)
        {
            Method = SipMethods.Parse(method);
        }

        return true;
    }

    private Range TagRange(ReadOnlySpan<byte> value)
    {
        var parameters = SipSyntax.HeaderParameters(value);
        return SipSyntax.TryGetParameter(parameters, "tag"u8, out var tag) && !tag.IsEmpty ? RangeOf(tag) : default;
    }

    /// <summary>Where a slice of <see cref="Raw"/> sits in it: every value found while parsing is such a slice.</summary>
    private Range RangeOf(ReadOnlySpan<byte> slice)
    {
        if (slice.IsEmpty)
        {
            return default;
        }

        var start = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(Raw.Span), ref MemoryMarshal.GetReference(slice));
        return new Range(start, start + slice.Length);
    }

    private static bool ContainsNoControl(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            // CR and LF appear only as line ends (or inside folds, handled by the caller); NUL and other controls never.
            if (b < 0x20 && b != '\t')
            {
                return false;
            }
        }

        return true;
    }
}
