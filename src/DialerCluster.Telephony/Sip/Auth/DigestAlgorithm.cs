namespace DialerCluster.Telephony.Sip.Auth;

/// <summary>The digest algorithms answered: MD5 (RFC 2617) and SHA-256 (RFC 7616, for SIP RFC 8760), each with its -sess variant.</summary>
internal enum DigestAlgorithm : byte
{
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}
