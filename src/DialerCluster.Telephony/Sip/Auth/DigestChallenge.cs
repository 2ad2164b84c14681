using System.Text;
using DialerCluster.Telephony.Sip.Messages;

namespace DialerCluster.Telephony.Sip.Auth;

/// <summary>One <c>WWW-Authenticate</c> or <c>Proxy-Authenticate</c> challenge of the Digest scheme.</summary>
internal sealed record DigestChallenge(string Realm, string Nonce, string? Opaque, DigestAlgorithm Algorithm, bool QopAuth)
{
    /// <summary>
    /// Parses a challenge. False for another scheme, a missing realm or nonce, an algorithm not answered here, or a qop
    /// list that offers only auth-int (this user agent signs no bodies).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out DigestChallenge? challenge)
    {
        challenge = null;
        value = SipSyntax.Trim(value);
        if (value.Length < 7 || !SipSyntax.EqualsIgnoreCase(value[..6], "Digest"u8) || !SipSyntax.IsWhiteSpace(value[6]))
        {
            return false;
        }

        string? realm = null, nonce = null, opaque = null, qop = null;
        var algorithm = DigestAlgorithm.Md5;
        var rest = value[7..];
        while (!rest.IsEmpty)
        {
            if (!TryReadParameter(ref rest, out var name, out var parameter))
            {
                return false;
            }

            if (SipSyntax.EqualsIgnoreCase(name, "realm"u8))
            {
                realm = Encoding.UTF8.GetString(parameter);
            }
            else if (SipSyntax.EqualsIgnoreCase(name, "nonce"u8))
            {
                nonce = Encoding.UTF8.GetString(parameter);
            }
            else if (SipSyntax.EqualsIgnoreCase(name, "opaque"u8))
            {
                opaque = Encoding.UTF8.GetString(parameter);
            }
            else if (SipSyntax.EqualsIgnoreCase(name, "qop"u8))
            {
                qop = Encoding.ASCII.GetString(parameter);
            }
            else if (SipSyntax.EqualsIgnoreCase(name, "algorithm"u8) && !TryParseAlgorithm(parameter, out algorithm))
            {
                return false;
            }
        }

        if (realm is null || string.IsNullOrEmpty(nonce))
        {
            return false;
        }

        var qopAuth = false;
        if (qop is not null)
        {
            foreach (var option in qop.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                qopAuth |= option.Equals("auth", StringComparison.OrdinalIgnoreCase);
            }

            if (!qopAuth)
            {
                return false;
            }
        }

        challenge = new DigestChallenge(realm, nonce, opaque, algorithm, qopAuth);
        return true;
    }

    /// <summary>Of several challenges, the strongest this user agent answers: SHA-256 before MD5 (RFC 8760 section 2.4).</summary>
    public static bool Stronger(DigestChallenge candidate, DigestChallenge? current) =>
        current is null || Rank(candidate.Algorithm) > Rank(current.Algorithm);

    private static int Rank(DigestAlgorithm algorithm) => algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess ? 1 : 0;

    private static bool TryParseAlgorithm(ReadOnlySpan<byte> value, out DigestAlgorithm algorithm)
    {
        algorithm = value switch
        {
            _ when SipSyntax.EqualsIgnoreCase(value, "MD5"u8) => DigestAlgorithm.Md5,
            _ when SipSyntax.EqualsIgnoreCase(value, "MD5-sess"u8) => DigestAlgorithm.Md5Sess,
            _ when SipSyntax.EqualsIgnoreCase(value, "SHA-256"u8) => DigestAlgorithm.Sha256,
            _ when SipSyntax.EqualsIgnoreCase(value, "SHA-256-sess"u8) => DigestAlgorithm.Sha256Sess,
            _ => (DigestAlgorithm)255,
        };
        return (byte)algorithm != 255;
    }

    /// <summary>Reads <c>name=token</c> or <c>name="quoted"</c> and the comma after it.</summary>
    private static bool TryReadParameter(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        rest = SipSyntax.Trim(rest);
        var equals = rest.IndexOf((byte)'=');
        name = default;
        value = default;
        if (equals <= 0)
        {
            return false;
        }

        name = SipSyntax.Trim(rest[..equals]);
        rest = SipSyntax.Trim(rest[(equals + 1)..]);
        if (!rest.IsEmpty && rest[0] == '"')
        {
            // Quoted strings in digest parameters carry no escapes in practice; a backslash is refused rather than guessed.
            var close = rest[1..].IndexOf((byte)'"');
            if (close < 0 || rest[1..(close + 1)].IndexOf((byte)'\\') >= 0)
            {
                return false;
            }

            value = rest[1..(close + 1)];
            rest = SipSyntax.Trim(rest[(close + 2)..]);
        }
        else
        {
            var comma = rest.IndexOf((byte)',');
            value = SipSyntax.Trim(comma < 0 ? rest : rest[..comma]);
            rest = comma < 0 ? [] : rest[comma..];
        }

        if (!rest.IsEmpty)
        {
            if (rest[0] != ',')
            {
                return false;
            }

            rest = rest[1..];
        }

        return SipSyntax.IsToken(name);
    }
}
