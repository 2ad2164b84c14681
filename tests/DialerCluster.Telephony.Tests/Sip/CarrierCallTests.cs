using DialerCluster.Dialing.Telephony;
using DialerCluster.Testing.Sipp;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>
/// The SIP gateway against SIPp playing the carrier on loopback, one scenario per test: every event in a legal order
/// with the origination's correlation id, and SIPp's own verdict that the dialogue was what it expected.
/// </summary>
public sealed class CarrierCallTests
{
    private static readonly TimeSpan Patience = SipGatewayUnderTest.Patience;

    [Fact(Timeout = 60_000)]
    public async Task An_answered_call_that_the_customer_hangs_up_rings_is_answered_and_ends_by_the_customer()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenCustomerHangsUp()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync(correlation: "case-42");
        var hungUp = await ua.Expect(ua.Recorder.WaitForAsync<CallHungUp>(call, Patience), carrier);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal([typeof(CallRinging), typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], ua.Kinds(call));
        Assert.Equal([false, true], ua.Recorder.Of(call).OfType<CallRinging>().Select(r => r.Alerting)); // 100 Trying is routing; 180 rings
        Assert.Equal(HangUpParty.Customer, hungUp.By);
        Assert.Equal(AnsweredBy.Human, ua.Recorder.Of(call).OfType<CallAnswered>().Single().AnsweredBy);
        Assert.All(ua.Recorder.Of(call), e => Assert.Equal("case-42", e.CorrelationId));
        Assert.Empty(ua.Recorder.IllegalTransitions);
        Assert.True(sipp.ExitCode == 0 && sipp.Statistics.Successful == 1, ua.Report(sipp));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_answered_call_that_we_hang_up_sends_bye_and_ends_by_the_agent()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenWeHangUp()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallAnswered>(call, Patience), carrier);
        Assert.Equal(ConnectOutcome.Connected, await ua.Gateway.ConnectToAgentAsync(call, new AgentEndpoint("agent-1"), CancellationToken.None));
        await ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal([typeof(CallRinging), typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], ua.Kinds(call));
        Assert.Equal([false, true], ua.Recorder.Of(call).OfType<CallRinging>().Select(r => r.Alerting)); // 100 Trying is routing; 180 rings
        Assert.Equal(HangUpParty.Agent, ua.Recorder.Of(call).OfType<CallHungUp>().Single().By);
        Assert.Equal(ConnectOutcome.CallGone, await ua.Gateway.ConnectToAgentAsync(call, new AgentEndpoint("agent-1"), CancellationToken.None));
        await ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        Assert.Single(ua.Recorder.Of(call).OfType<CallHungUp>());
        Assert.True(sipp.ExitCode == 0 && sipp.Statistics.Successful == 1, ua.Report(sipp));
        Assert.Equal(1, sipp.Received("BYE "));
    }

    [Fact(Timeout = 60_000)]
    public async Task Busy_486_ends_the_call_as_busy_and_is_acked()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.Refuses(486, "Busy Here")));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.EndOfAsync(call, Patience), carrier);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal([typeof(CallRinging), typeof(CallBusy)], ua.Kinds(call));
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        Assert.Equal(1, sipp.Received("ACK "));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(404, "Not Found")]
    [InlineData(503, "Service Unavailable")]
    public async Task A_refusal_fails_the_call_with_the_status_as_reason(int status, string reason)
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.Refuses(status, reason)));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        var failed = Assert.IsType<CallFailed>(await ua.Expect(ua.Recorder.EndOfAsync(call, Patience), carrier));
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal($"{status} {reason}", failed.Reason);
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
    }

    [Fact(Timeout = 60_000)]
    public async Task Releasing_a_ringing_call_cancels_it_and_the_487_ends_it_as_hung_up_by_the_system()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.RingsUntilCancelled()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallRinging>(call, Patience), carrier);
        await ua.Gateway.HangUpAsync(call, HangUpParty.System, CancellationToken.None);
        var end = await ua.Expect(ua.Recorder.EndOfAsync(call, Patience), carrier);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal(HangUpParty.System, Assert.IsType<CallHungUp>(end).By);
        Assert.Equal([typeof(CallRinging), typeof(CallHungUp)], ua.Kinds(call));
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        Assert.Equal(1, sipp.Received("CANCEL "));
        Assert.Equal(1, sipp.Received("ACK "));
    }

    [Fact(Timeout = 90_000)]
    public async Task No_answer_within_the_ring_timeout_sends_cancel_and_the_487_ends_it_as_no_answer()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.RingsUntilCancelled()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        // 15 s is the legal minimum ring (47 CFR 64.1200(a)(6)); the gateway enforces it, so this test waits it out.
        var started = DateTimeOffset.UtcNow;
        var call = await ua.DialAsync(ringSeconds: 15);
        var end = await ua.Expect(ua.Recorder.EndOfAsync(call, TimeSpan.FromSeconds(60)), carrier);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.IsType<CallNoAnswer>(end);
        var ringing = ua.Recorder.Of(call).OfType<CallRinging>().Single();
        Assert.True(end.At - ringing.At >= TimeSpan.FromSeconds(15), $"gave up {end.At - ringing.At} after ringing (started {started})");
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        Assert.Equal(1, sipp.Received("CANCEL "));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_183_with_sdp_after_a_180_rings_once_and_is_noted_as_early_media()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.EarlyMediaThenAnswer()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallAnswered>(call, Patience), carrier);
        var media = ua.Gateway.Media(call);
        await ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.True(media is { EarlyMedia: true }, $"media {media}");
        Assert.Equal([typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], ua.Kinds(call));
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
    }

    [Fact(Timeout = 60_000)]
    public async Task When_the_first_200_is_lost_its_retransmission_is_acked_and_the_call_answered()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.LosesTheFirstAnswer()));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallAnswered>(call, Patience), carrier);
        await ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.Equal([typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], ua.Kinds(call));
        Assert.True(sipp.ExitCode == 0, ua.Report(sipp));
        Assert.Equal(1, sipp.Received("ACK "));
        var answered = ua.Recorder.Of(call).OfType<CallAnswered>().Single();
        var ringing = ua.Recorder.Of(call).OfType<CallRinging>().Single();
        Assert.True(answered.At - ringing.At >= TimeSpan.FromMilliseconds(450), $"answered {answered.At - ringing.At} after ringing: the lost 200 was not lost");
    }

    [Fact(Timeout = 60_000)]
    public async Task Media_is_anchored_here_silence_goes_out_and_rtp_coming_back_is_counted_per_call()
    {
        await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenCustomerHangsUp(talkMilliseconds: 1500), RtpEcho: true));
        await using var ua = await SipGatewayUnderTest.StartAsync(carrier);

        var call = await ua.DialAsync();
        await ua.Expect(ua.Recorder.WaitForAsync<CallHungUp>(call, Patience), carrier);
        var media = ua.Gateway.Media(call);
        var sipp = await carrier.WaitForExitAsync(Patience);

        Assert.True(media is { PacketsSent: > 0, PacketsReceived: > 0 }, $"media {media}");
        var invite = Assert.Single(sipp.ReceivedMessages("INVITE "));
        Assert.Contains($"m=audio {media!.LocalPort} RTP/AVP 0 8 101", invite, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:101 telephone-event/8000", invite, StringComparison.Ordinal);
    }
}
