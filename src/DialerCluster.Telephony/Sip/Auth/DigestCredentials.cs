using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DialerCluster.Telephony.Sip.Auth;

/// <summary>The trunk account; answers digest challenges (RFC 2617 / 7616 / 8760, qop=auth or none).</summary>
internal sealed record DigestCredentials(string User, string Password, string? Realm)
{
    /// <summary>Whether these credentials are for the challenge's realm (any realm when none is configured).</summary>
    public bool Answers(DigestChallenge challenge) => Realm is null || string.Equals(Realm, challenge.Realm, StringComparison.Ordinal);

    /// <summary>The Authorization / Proxy-Authorization value for <paramref name="method"/> on <paramref name="uri"/>.</summary>
    public string Authorize(DigestChallenge challenge, string method, string uri, string cnonce, int nonceCount = 1)
    {
        var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        var response = Response(challenge, method, uri, cnonce, nc);
        var header = new StringBuilder(256)
            .Append("Digest username=\"").Append(User)
            .Append("\", realm=\"").Append(challenge.Realm)
            .Append("\", nonce=\"").Append(challenge.Nonce)
            .Append("\", uri=\"").Append(uri)
            .Append("\", response=\"").Append(response)
            .Append("\", algorithm=").Append(Name(challenge.Algorithm));
        if (challenge.Opaque is not null)
        {
            header.Append(", opaque=\"").Append(challenge.Opaque).Append('"');
        }

        if (challenge.QopAuth)
        {
            header.Append(", qop=auth, nc=").Append(nc).Append(", cnonce=\"").Append(cnonce).Append('"');
        }

        return header.ToString();
    }

    /// <summary>
    /// response = KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2) with qop, KD(HA1, nonce ":" HA2) without;
    /// HA1 = H(user ":" realm ":" password) (for -sess: H(that ":" nonce ":" cnonce)), HA2 = H(method ":" uri).
    /// </summary>
    public string Response(DigestChallenge challenge, string method, string uri, string cnonce, string nc)
    {
        var algorithm = challenge.Algorithm;
        var ha1 = Hash(algorithm, $"{User}:{challenge.Realm}:{Password}");
        if (algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess)
        {
            ha1 = Hash(algorithm, $"{ha1}:{challenge.Nonce}:{cnonce}");
        }

        var ha2 = Hash(algorithm, $"{method}:{uri}");
        return challenge.QopAuth
            ? Hash(algorithm, $"{ha1}:{challenge.Nonce}:{nc}:{cnonce}:auth:{ha2}")
            : Hash(algorithm, $"{ha1}:{challenge.Nonce}:{ha2}");
    }

    public static string Name(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        _ => "SHA-256-sess",
    };

    private static string Hash(DigestAlgorithm algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Convert.ToHexStringLower(algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess ? MD5.HashData(bytes) : SHA256.HashData(bytes));
    }
}
