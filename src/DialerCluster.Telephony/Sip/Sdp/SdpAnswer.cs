using System.Net;
using System.Text;
using DialerCluster.Telephony.Sip.Messages;

namespace DialerCluster.Telephony.Sip.Sdp;

/// <summary>What the far end answered (or sent as early media): where to send our audio and in which codec.</summary>
internal sealed record SdpAnswer(IPEndPoint Media, int PayloadType)
{
    /// <summary>
    /// Reads the first audio stream: its port, the connection address (media-level before session-level) and the first
    /// format of ours it accepted. False for a rejected stream (port 0), no codec in common, or not SDP at all.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out SdpAnswer? answer)
    {
        answer = null;
        IPAddress? session = null;
        IPAddress? media = null;
        var port = -1;
        var payloadType = -1;
        var inAudio = false;
        var seenAudio = false;
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'\n');
            var line = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            line = line.TrimEnd((byte)'\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case (byte)'m':
                    inAudio = !seenAudio && value.StartsWith("audio "u8);
                    if (inAudio)
                    {
                        seenAudio = true;
                        if (!ReadMediaLine(value, out port, out payloadType))
                        {
                            return false;
                        }
                    }

                    break;
                case (byte)'c' when inAudio:
                    media = ReadConnection(value);
                    break;
                case (byte)'c' when !seenAudio:
                    session = ReadConnection(value);
                    break;
            }
        }

        var address = media ?? session;
        if (!seenAudio || port <= 0 || port > 65535 || payloadType < 0 || address is null)
        {
            return false;
        }

        answer = new SdpAnswer(new IPEndPoint(address, port), payloadType);
        return true;
    }

    private static bool ReadMediaLine(ReadOnlySpan<byte> value, out int port, out int payloadType)
    {
        // m=audio <port>[/<count>] RTP/AVP <fmt> <fmt> ...
        payloadType = -1;
        port = -1;
        var parts = value[6..];
        var space = parts.IndexOf((byte)' ');
        if (space <= 0)
        {
            return false;
        }

        var portText = parts[..space];
        var slash = portText.IndexOf((byte)'/');
        if (!SipSyntax.TryParseNumber(slash < 0 ? portText : portText[..slash], out port))
        {
            return false;
        }

        parts = parts[(space + 1)..];
        space = parts.IndexOf((byte)' ');
        if (space <= 0)
        {
            return false;
        }

        parts = parts[(space + 1)..];
        while (!parts.IsEmpty)
        {
            space = parts.IndexOf((byte)' ');
            var format = space < 0 ? parts : parts[..space];
            parts = space < 0 ? [] : parts[(space + 1)..];
            if (SipSyntax.TryParseNumber(format, out var candidate) && candidate is SdpOffer.Pcmu or SdpOffer.Pcma)
            {
                payloadType = candidate;
                return true;
            }
        }

        return true;
    }

    private static IPAddress? ReadConnection(ReadOnlySpan<byte> value)
    {
        // c=IN IP4 192.0.2.1  /  c=IN IP6 ::1
        if (!(value.StartsWith("IN IP4 "u8) || value.StartsWith("IN IP6 "u8)))
        {
            return null;
        }

        var address = value["IN IP4 ".Length..];
        var slash = address.IndexOf((byte)'/');
        return IPAddress.TryParse(Encoding.ASCII.GetString(slash < 0 ? address : address[..slash]), out var parsed) ? parsed : null;
    }
}
