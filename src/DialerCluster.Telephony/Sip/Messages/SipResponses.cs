namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>Responses to requests the far end sends us (BYE, OPTIONS, and those refused), built from the request itself.</summary>
internal static class SipResponses
{
    /// <summary>
    /// Echoes every Via, From, To (with <paramref name="toTag"/> added when the request's To has none, as every
    /// response but 100 needs), Call-ID and CSeq (RFC 3261 section 8.2.6.2).
    /// </summary>
    public static byte[] Stateless(SipMessage request, int status, ReadOnlySpan<byte> reason, string? toTag, ReadOnlySpan<byte> extraHeaders = default)
    {
        var response = SipWriter.Rent();
        response.Append("SIP/2.0 "u8).Append(status).Append((byte)' ').Append(reason).CrLf();
        for (var i = 0; i < request.HeaderCount; i++)
        {
            switch (request.NameAt(i))
            {
                case SipHeader.Via or SipHeader.From or SipHeader.CallId or SipHeader.CSeq:
                    response.Append(request.LineAt(i)).CrLf();
                    break;
                case SipHeader.To:
                    response.Append(request.LineAt(i));
                    if (request.ToTag.IsEmpty && toTag is not null)
                    {
                        response.Append(";tag="u8).Append(toTag);
                    }

                    response.CrLf();
                    break;
            }
        }

        return response.Append(extraHeaders).Append("Server: DialerCluster\r\n"u8).Body([], []).ToArray();
    }
}
