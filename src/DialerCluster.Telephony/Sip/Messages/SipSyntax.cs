using System.Buffers.Text;

namespace DialerCluster.Telephony.Sip.Messages;

/// <summary>Small span helpers for the grammar of RFC 3261 section 25: tokens, parameters, name-addr, comma lists.</summary>
internal static class SipSyntax
{
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> lowerOrMixed)
    {
        if (value.Length != lowerOrMixed.Length)
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (ToLower(value[i]) != ToLower(lowerOrMixed[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    /// <summary>Linear white space, including the CR LF of a folded header line (RFC 3261 section 7.3.1).</summary>
    public static bool IsWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && IsWhiteSpace(value[start]))
        {
            start++;
        }

        var end = value.Length;
        while (end > start && IsWhiteSpace(value[end - 1]))
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static bool IsToken(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsTokenChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'!' or (byte)'%' or (byte)'*' or (byte)'_' or (byte)'+' or (byte)'`' or (byte)'\'' or (byte)'~';

    /// <summary>A non-negative decimal that fits an int; no sign, no spaces, at most 10 digits.</summary>
    public static bool TryParseNumber(ReadOnlySpan<byte> value, out int number)
    {
        number = 0;
        if (value.IsEmpty || value.Length > 10)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length && number >= 0;
    }

    /// <summary>The first element of a comma-separated header value (Via, Record-Route may be combined), respecting quotes and angle brackets.</summary>
    public static ReadOnlySpan<byte> FirstListElement(ReadOnlySpan<byte> value)
    {
        var end = NextComma(value);
        return Trim(value[..end]);
    }

    /// <summary>Index of the first comma outside quotes and angle brackets, or the length.</summary>
    public static int NextComma(ReadOnlySpan<byte> value) => IndexOutside(value, (byte)',', angles: true) is var comma and >= 0 ? comma : value.Length;

    /// <summary>
    /// The header parameters of a From/To/Contact/Route value: what follows the closing '&gt;' of a name-addr, or the
    /// first ';' of a bare addr-spec (RFC 3261 section 20: there, parameters belong to the header, not the URI).
    /// </summary>
    public static ReadOnlySpan<byte> HeaderParameters(ReadOnlySpan<byte> value)
    {
        var open = IndexOutsideQuotes(value, (byte)'<');
        if (open >= 0)
        {
            var close = value[open..].IndexOf((byte)'>');
            return close < 0 ? [] : value[(open + close + 1)..];
        }

        var semicolon = value.IndexOf((byte)';');
        return semicolon < 0 ? [] : value[semicolon..];
    }

    /// <summary>The URI of a name-addr ("Name" &lt;sip:...&gt;) or addr-spec value.</summary>
    public static bool TryGetUri(ReadOnlySpan<byte> value, out ReadOnlySpan<byte> uri)
    {
        var open = IndexOutsideQuotes(value, (byte)'<');
        if (open >= 0)
        {
            var close = value[(open + 1)..].IndexOf((byte)'>');
            uri = close < 0 ? [] : Trim(value.Slice(open + 1, close));
        }
        else
        {
            var semicolon = value.IndexOf((byte)';');
            uri = Trim(semicolon < 0 ? value : value[..semicolon]);
        }

        return !uri.IsEmpty && uri.IndexOf((byte)':') > 0;
    }

    /// <summary>Finds <c>;name=value</c> (or a bare <c>;name</c>, value empty) in a parameter list, names case-insensitive.</summary>
    public static bool TryGetParameter(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        while (!parameters.IsEmpty)
        {
            var semicolon = parameters.IndexOf((byte)';');
            if (semicolon < 0)
            {
                break;
            }

            parameters = parameters[(semicolon + 1)..];
            var end = parameters.IndexOf((byte)';');
            var parameter = end < 0 ? parameters : parameters[..end];
            var equals = parameter.IndexOf((byte)'=');
            var key = Trim(equals < 0 ? parameter : parameter[..equals]);
            if (EqualsIgnoreCase(key, name))
            {
                value = equals < 0 ? [] : Trim(parameter[(equals + 1)..]);
                return true;
            }

            if (end < 0)
            {
                break;
            }
        }

        value = default;
        return false;
    }

    private static int IndexOutsideQuotes(ReadOnlySpan<byte> value, byte wanted) => IndexOutside(value, wanted, angles: false);

    /// <summary>The first <paramref name="wanted"/> outside quoted strings (with their backslash escapes) and, if asked, outside &lt;...&gt;.</summary>
    private static int IndexOutside(ReadOnlySpan<byte> value, byte wanted, bool angles)
    {
        var quoted = false;
        var angle = false;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (quoted)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    quoted = false;
                }
            }
            else if (b == '"')
            {
                quoted = true;
            }
            else if (angles && b == '<')
            {
                angle = true;
            }
            else if (angles && b == '>')
            {
                angle = false;
            }
            else if (b == wanted && !angle)
            {
                return i;
            }
        }

        return -1;
    }
}
