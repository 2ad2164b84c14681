using System.Net;
using System.Text;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Simulation;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Transport;
using DialerCluster.Testing.Sipp;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>
/// RFC 3261's timers with T1 = 500 ms, on a virtual clock against a trunk played by the test: Timer A retransmits the
/// INVITE at 0.5, 1.5, 3.5 … s and stops at the first provisional; Timer B gives up at 32 s; a final response
/// retransmitted while Timer D runs gets the same ACK again; a retransmitted 2xx is ACKed again; Timer E retransmits
/// a BYE; a malformed datagram is counted and dropped.
/// </summary>
public sealed class SipTimerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly VirtualClock _clock = new(T0);
    private readonly RawTrunk _trunk = new();
    private SipGatewayUnderTest _ua = null!;

    public async Task InitializeAsync() =>
        _ua = await SipGatewayUnderTest.StartAsync(_trunk.Address, IPAddress.Loopback, configure: null, _clock, tcp: false);

    public async Task DisposeAsync()
    {
        await _ua.DisposeAsync();
        _trunk.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_any_response_the_invite_is_sent_seven_times_by_timer_a_and_timer_b_fails_the_call_at_32_s()
    {
        var call = await _ua.DialAsync();
        var sentAt = new List<double> { 0 };
        _trunk.ReceiveStarting("INVITE ");
        for (var ms = 100; ms <= 40_000; ms += 100)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            sentAt.AddRange(_trunk.Pending().Where(m => m.StartsWith("INVITE ", StringComparison.Ordinal)).Select(_ => ms / 1000.0));
        }

        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5], sentAt);
        var failed = Assert.IsType<CallFailed>(await _ua.Recorder.EndOfAsync(call, Patience));
        Assert.Contains("Timer B", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(T0.AddSeconds(32), failed.At);
        Assert.Equal(6, _ua.Gateway.Statistics.Retransmissions);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_provisional_response_stops_the_invite_retransmissions_and_timer_b()
    {
        var call = await _ua.DialAsync(ringSeconds: 60);
        var invite = _trunk.ReceiveStarting("INVITE ");
        _trunk.Send(RawTrunk.Respond(invite, 100, "Trying", toTag: null));
        await _ua.Recorder.WaitForAsync<CallRinging>(call, Patience);

        _clock.Advance(TimeSpan.FromSeconds(40));

        Assert.DoesNotContain(_trunk.Pending(), m => m.StartsWith("INVITE ", StringComparison.Ordinal));
        Assert.Equal([typeof(CallRinging)], _ua.Kinds(call));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_100_is_routing_not_ringing_and_the_ring_timeout_counts_from_the_180()
    {
        var call = await _ua.DialAsync(ringSeconds: 20);
        var invite = _trunk.ReceiveStarting("INVITE ");
        _trunk.Send(RawTrunk.Respond(invite, 100, "Trying", toTag: null));
        await _ua.Recorder.WaitForAsync<CallRinging>(call, Patience);

        _clock.Advance(TimeSpan.FromSeconds(10));
        _trunk.Send(RawTrunk.Respond(invite, 180, "Ringing"));
        await _ua.Recorder.WaitForAsync<CallRinging>(r => r.CallId == call && r.Alerting, Patience);
        _clock.Advance(TimeSpan.FromSeconds(19.9));
        var beforeTimeout = _trunk.Pending();
        _clock.Advance(TimeSpan.FromSeconds(0.2));

        var ringing = _ua.Recorder.Of(call).OfType<CallRinging>().ToArray();
        Assert.Equal([(false, T0), (true, T0.AddSeconds(10))], ringing.Select(r => (r.Alerting, r.At)));
        Assert.DoesNotContain(beforeTimeout, m => m.StartsWith("CANCEL ", StringComparison.Ordinal));
        _trunk.ReceiveStarting("CANCEL ");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_retransmitted_2xx_is_acked_again_and_the_call_is_answered_once()
    {
        var call = await _ua.DialAsync();
        var invite = _trunk.ReceiveStarting("INVITE ");
        var ok = RawTrunk.Respond(invite, 200, "OK");

        _trunk.Send(ok);
        var firstAck = _trunk.ReceiveStarting("ACK ");
        _trunk.Send(ok);
        var secondAck = _trunk.ReceiveStarting("ACK ");

        Assert.Equal(firstAck, secondAck);
        Assert.Contains("To: ", firstAck, StringComparison.Ordinal);
        Assert.Contains(";tag=far-1", firstAck, StringComparison.Ordinal);
        Assert.StartsWith("ACK sip:far@127.0.0.1:5099 SIP/2.0", firstAck, StringComparison.Ordinal);
        Assert.Equal([typeof(CallAnswered)], _ua.Kinds(call));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_final_error_retransmitted_within_timer_d_gets_the_same_ack_and_reports_once()
    {
        var call = await _ua.DialAsync();
        var invite = _trunk.ReceiveStarting("INVITE ");
        var busy = RawTrunk.Respond(invite, 486, "Busy Here");

        _trunk.Send(busy);
        var firstAck = _trunk.ReceiveStarting("ACK ");
        await _ua.Recorder.EndOfAsync(call, Patience);
        _trunk.Send(busy);
        var secondAck = _trunk.ReceiveStarting("ACK ");

        Assert.Equal(firstAck, secondAck);
        Assert.Contains(invite.Split("\r\n")[0]["INVITE ".Length..^" SIP/2.0".Length], firstAck.Split("\r\n")[0], StringComparison.Ordinal);
        Assert.Contains("CSeq: 1 ACK", firstAck, StringComparison.Ordinal);
        Assert.Equal([typeof(CallBusy)], _ua.Kinds(call));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unanswered_bye_is_retransmitted_by_timer_e_up_to_t2()
    {
        var call = await _ua.DialAsync();
        var invite = _trunk.ReceiveStarting("INVITE ");
        _trunk.Send(RawTrunk.Respond(invite, 200, "OK"));
        _trunk.ReceiveStarting("ACK ");
        await _ua.Gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
        _trunk.ReceiveStarting("BYE ");

        var sentAt = new List<double>();
        for (var ms = 100; ms <= 16_000; ms += 100)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            sentAt.AddRange(_trunk.Pending().Where(m => m.StartsWith("BYE ", StringComparison.Ordinal)).Select(_ => ms / 1000.0));
        }

        Assert.Equal([0.5, 1.5, 3.5, 7.5, 11.5, 15.5], sentAt);
        Assert.Equal([typeof(CallAnswered), typeof(CallHungUp)], _ua.Kinds(call));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_malformed_datagram_is_counted_and_dropped_and_the_call_goes_on()
    {
        var call = await _ua.DialAsync();
        var invite = _trunk.ReceiveStarting("INVITE ");

        _trunk.SendBytes(Encoding.ASCII.GetBytes("SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n"));
        _trunk.SendBytes([0xff, 0x00, 0x13]);
        _trunk.Send(RawTrunk.Respond(invite, 180, "Ringing"));
        await _ua.Recorder.WaitForAsync<CallRinging>(call, Patience);

        Assert.Equal(2, _ua.Gateway.Statistics.MalformedDropped);
        Assert.Equal(0, _ua.Gateway.Statistics.HandlerFaults);
    }
}
