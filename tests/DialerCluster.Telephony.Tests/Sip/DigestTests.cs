using System.Text;
using DialerCluster.Telephony.Sip.Auth;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>The digest computations against the published examples of RFC 2617 section 3.5 and RFC 7616 section 3.9.1.</summary>
public sealed class DigestTests
{
    [Fact]
    public void Md5_with_qop_auth_matches_the_rfc_2617_example()
    {
        var challenge = Challenge("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        var credentials = new DigestCredentials("Mufasa", "Circle Of Life", null);

        Assert.Equal("6629fae49393a05397450978507c4ef1", credentials.Response(challenge, "GET", "/dir/index.html", "0a4f113b", "00000001"));
    }

    [Theory]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    public void Sha256_and_md5_match_the_rfc_7616_example(string algorithm, string expected)
    {
        var challenge = Challenge($"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
        var credentials = new DigestCredentials("Mufasa", "Circle of Life", null);

        Assert.Equal(expected, credentials.Response(challenge, "GET", "/dir/index.html", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "00000001"));
    }

    [Fact]
    public void The_authorization_header_names_every_parameter_the_server_needs()
    {
        var challenge = Challenge("Digest realm=\"carrier\", nonce=\"n1\", opaque=\"o1\", algorithm=SHA-256, qop=\"auth\"");
        var header = new DigestCredentials("dialer", "pw", null).Authorize(challenge, "INVITE", "sip:+1555@trunk", "c0ffee");

        Assert.StartsWith("Digest username=\"dialer\", realm=\"carrier\", nonce=\"n1\", uri=\"sip:+1555@trunk\", response=\"", header, StringComparison.Ordinal);
        Assert.EndsWith("\", algorithm=SHA-256, opaque=\"o1\", qop=auth, nc=00000001, cnonce=\"c0ffee\"", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("Digest nonce=\"n\"")]
    [InlineData("Digest realm=\"r\"")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")]
    [InlineData("Digest realm=\"r, nonce=\"n\"")]
    public void A_challenge_this_user_agent_cannot_answer_is_refused(string value) =>
        Assert.False(DigestChallenge.TryParse(Encoding.UTF8.GetBytes(value), out _));

    [Fact]
    public void Of_two_challenges_sha256_is_preferred_to_md5_and_a_configured_realm_must_match()
    {
        var md5 = Challenge("Digest realm=\"a\", nonce=\"1\"");
        var sha = Challenge("Digest realm=\"a\", nonce=\"2\", algorithm=SHA-256");

        Assert.True(DigestChallenge.Stronger(sha, md5));
        Assert.False(DigestChallenge.Stronger(md5, sha));
        Assert.True(new DigestCredentials("u", "p", "a").Answers(md5));
        Assert.False(new DigestCredentials("u", "p", "b").Answers(md5));
        Assert.True(new DigestCredentials("u", "p", null).Answers(md5));
    }

    private static DigestChallenge Challenge(string value)
    {
        Assert.True(DigestChallenge.TryParse(Encoding.UTF8.GetBytes(value), out var challenge), value);
        return challenge!;
    }
}
