using System.Net;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Sip;
using DialerCluster.Testing.Sipp;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>The same calls over IPv6 and over TCP; and the OPTIONS ping that tells whether the trunk answers.</summary>
public sealed class CarrierTransportTests
{
    private static readonly TimeSpan Patience = SipGatewayUnderTest.Patience;

    [Fact(Timeout = 60_000)]
    public async Task A_call_over_ipv6_loopback_is_answered_and_hung_up()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenWeHangUp(), Address: "::1"));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallAnswered>(call, Patience), carrier);
        await ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal([typeof(CallRinging), typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], ua.Kinds(call));
        Assert.Equal([false, true], ua.Recorder.Of(call).OfType<CallRinging>().Select(r => r.Alerting)); // 100 Trying is routing; 180 rings
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        var invite = Assert.Single(sipp.ReceivedMessages("INVITE "));
        Assert.Contains("Via: SIP/2.0/UDP [::1]:", invite, StringComparison.Ordinal);
        Assert.Contains("c=IN IP6 ::1", invite, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_call_over_tcp_is_answered_and_the_customer_hangs_up_on_the_same_connection()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenCustomerHangsUp(), Transport: "t1"));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallHungUp>(call, Patience), carrier);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal([typeof(CallRinging), typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], ua.Kinds(call));
        Assert.Equal([false, true], ua.Recorder.Of(call).OfType<CallRinging>().Select(r => r.Alerting)); // 100 Trying is routing; 180 rings
        Assert.True(sipp.ExitCode == 0 && sipp.Statistics.Successful == 1, ua.Report(sipp));
        var invite = Assert.Single(sipp.ReceivedMessages("INVITE "));
        Assert.Contains("Via: SIP/2.0/TCP ", invite, StringComparison.Ordinal);
        Assert.Contains(";transport=tcp>", invite, StringComparison.Ordinal);
        Assert.Equal(0, ua.Gateway.Statistics.Retransmissions);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_trunk_answering_options_is_reachable()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenWeHangUp(), Calls: 100));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier, o => o with { OptionsInterval = TimeSpan.FromMilliseconds(500) });

        var status = await UntilAsync(ua.Gateway, s => s.Reachable is not null);

        Assert.True(status.Reachable, status.Detail);
        Assert.Contains("200", status.Detail, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_trunk_that_does_not_answer_options_is_unreachable_within_the_ping_interval()
    {
        var silent = new IPEndPoint(IPAddress.Loopback, FreePorts.Take(IPAddress.Loopback, tcp: false));
        await using var ua = await SipGatewayUnderTest.StartAsync(
            silent.ToString(), IPAddress.Loopback, o => o with { OptionsInterval = TimeSpan.FromMilliseconds(300) }, time: null, tcp: false);

        var status = await UntilAsync(ua.Gateway, s => s.Reachable is not null);

        Assert.False(status.Reachable);
        Assert.Contains("did not answer OPTIONS", status.Detail, StringComparison.Ordinal);
    }

    private static async Task<SipTrunkStatus> UntilAsync(SipGateway gateway, Func<SipTrunkStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition(gateway.TrunkStatus))
        {
            Assert.True(DateTime.UtcNow < deadline, $"trunk status still {gateway.TrunkStatus}");
            await Task.Delay(50);
        }

        return gateway.TrunkStatus;
    }
}
