using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Testing.Sipp;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>
/// Digest authentication toward the trunk. SIPp's UAS cannot check a SHA-256 digest, so the carrier sends a fixed
/// nonce and the test recomputes the expected response from the definitions of RFC 2617 / 7616 / 8760 and compares
/// it with the Authorization header SIPp received.
/// </summary>
public sealed class CarrierAuthTests
{
    private const string User = "dialer-7";
    private const string Password = "s3cret-trunk";

    [Theory(Timeout = 60_000)]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public async Task A_401_is_answered_once_with_a_digest_the_carrier_can_verify_and_the_call_goes_through(string algorithm)
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.ChallengesOnce(algorithm)));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier, o => o with { User = User, Password = Password });

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallAnswered>(call, SipGatewayUnderTest.Patience), carrier);
        await ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        var sipp = await carrier.WaitForExitAsync(SipGatewayUnderTest.Patience);

        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        var invites = sipp.ReceivedMessages("INVITE ");
        Assert.Equal(2, invites.Count);
        Assert.DoesNotContain("Authorization:", invites[0], StringComparison.Ordinal);
        Assert.Contains("CSeq: 2 INVITE", invites[1], StringComparison.Ordinal);
        var authorization = Parameters(Header(invites[1], "Authorization"));
        Assert.Equal(
            (User, CarrierScenarios.Realm, CarrierScenarios.Nonce, CarrierScenarios.Opaque, algorithm, "auth", "00000001"),
            (authorization["username"], authorization["realm"], authorization["nonce"], authorization["opaque"], authorization["algorithm"], authorization["qop"], authorization["nc"]));
        var requestUri = invites[1].Split(' ')[1];
        Assert.Equal(requestUri, authorization["uri"]);
        Assert.Equal(ExpectedResponse(algorithm, authorization["cnonce"], requestUri), authorization["response"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_second_challenge_after_the_retry_fails_the_call()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.ChallengesTwice()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier, o => o with { User = User, Password = Password });

        var call = await ua.DialAsync();
        var end = await ua.Expect(ua.Recorder.EndOfAsync(call, SipGatewayUnderTest.Patience), carrier);
        var sipp = await carrier.WaitForExitAsync(SipGatewayUnderTest.Patience);

        Assert.Equal("401 Unauthorized", Assert.IsType<CallFailed>(end).Reason);
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        Assert.Equal(2, sipp.Received("INVITE "));
        Assert.Equal(2, sipp.Received("ACK "));
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_credentials_a_challenge_fails_the_call_at_once()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.Refuses(401, "Unauthorized")));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        var end = await ua.Expect(ua.Recorder.EndOfAsync(call, SipGatewayUnderTest.Patience), carrier);
        var sipp = await carrier.WaitForExitAsync(SipGatewayUnderTest.Patience);

        Assert.Equal("401 Unauthorized", Assert.IsType<CallFailed>(end).Reason);
        Assert.Equal(1, sipp.Received("INVITE "));
    }

    /// <summary>RFC 7616 section 3.4.1 with qop=auth: KD(H(A1), nonce:nc:cnonce:qop:H(A2)), A1 = user:realm:password, A2 = method:uri.</summary>
    private static string ExpectedResponse(string algorithm, string cnonce, string uri)
    {
        string H(string text) => Convert.ToHexStringLower(algorithm == "MD5"
            ? MD5.HashData(Encoding.UTF8.GetBytes(text))
            : SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var ha1 = H($"{User}:{CarrierScenarios.Realm}:{Password}");
        var ha2 = H($"INVITE:{uri}");
        return H($"{ha1}:{CarrierScenarios.Nonce}:00000001:{cnonce}:auth:{ha2}");
    }

    private static string Header(string message, string name) =>
        message.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))[(name.Length + 1)..].Trim();

    private static Dictionary<string, string> Parameters(string digest)
    {
        Assert.StartsWith("Digest ", digest, StringComparison.Ordinal);
        return Regex.Matches(digest[7..], "([a-z]+)=(\"([^\"]*)\"|[^,\\s]+)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[3].Success ? m.Groups[3].Value : m.Groups[2].Value, StringComparer.Ordinal);
    }
}
