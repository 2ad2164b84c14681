using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Simulation;

namespace DialerCluster.Telephony.Tests;

public sealed class SimulatedCarrierTests
{
    private static readonly SimulatedCarrierOptions Options = new()
    {
        Seed = 42,
        AnswerRate = 0.3,
        MachineRate = 0.2,
        BusyRate = 0.1,
        FailureRate = 0.02,
    };

    private static CarrierHarness RunDay(SimulatedCarrierOptions options, int calls, bool connect = true)
    {
        var harness = new CarrierHarness(options) { ConnectAnswered = connect };
        for (int i = 0; i < calls; i++)
        {
            harness.Dial(i);
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        harness.Clock.Advance(TimeSpan.FromHours(2));
        return harness;
    }

    [Fact]
    public void The_same_seed_replays_the_same_calls()
    {
        var first = RunDay(Options, 500);
        var second = RunDay(Options, 500);
        Assert.Equal(first.Events, second.Events);
    }

    [Fact]
    public void A_different_seed_gives_a_different_day()
    {
        var first = RunDay(Options, 500);
        var other = RunDay(Options with { Seed = 43 }, 500);
        Assert.NotEqual(first.Events, other.Events);
    }

    [Fact]
    public void Outcome_rates_converge_to_the_configuration_over_many_calls()
    {
        const int calls = 20_000;
        var harness = RunDay(Options, calls);
        var stats = harness.Carrier.Statistics;

        Assert.Equal(calls, stats.Originated);
        Assert.Equal(0, stats.Active);
        Assert.InRange((double)(stats.AnsweredByHuman + stats.AnsweredByMachine) / calls, 0.29, 0.31);
        Assert.InRange((double)stats.AnsweredByMachine / (stats.AnsweredByHuman + stats.AnsweredByMachine), 0.18, 0.22);
        Assert.InRange((double)stats.Busy / calls, 0.093, 0.107);
        Assert.InRange((double)stats.Failed / calls, 0.016, 0.024);
        Assert.InRange((double)stats.NoAnswer / calls, 0.57, 0.59);
        Assert.Equal(stats.AnsweredByHuman, stats.Connected);
    }

    [Fact]
    public void Every_call_follows_the_legal_event_order_and_ends_exactly_once()
    {
        var harness = RunDay(Options, 5_000);
        Assert.Empty(harness.IllegalTransitions);

        var finals = harness.Events.Where(e => e is CallBusy or CallNoAnswer or CallFailed or CallHungUp)
            .GroupBy(e => e.CallId).ToList();
        Assert.Equal(5_000, finals.Count);
        Assert.All(finals, g => Assert.Single(g));
    }

    [Fact]
    public void No_call_is_given_up_before_its_ring_timeout_nor_answered_after_it()
    {
        var harness = RunDay(Options, 5_000);
        var ringingAt = harness.Events.OfType<CallRinging>().ToDictionary(e => e.CallId.Value, e => e.At);

        foreach (var noAnswer in harness.Events.OfType<CallNoAnswer>())
        {
            Assert.Equal(CarrierHarness.RingTimeout, noAnswer.At - ringingAt[noAnswer.CallId.Value]);
        }

        foreach (var answered in harness.Events.OfType<CallAnswered>().Where(a => a.AnsweredBy == AnsweredBy.Human))
        {
            Assert.True(answered.At - ringingAt[answered.CallId.Value] < CarrierHarness.RingTimeout);
        }
    }

    [Fact]
    public void An_answered_customer_left_waiting_hangs_up_by_themself()
    {
        var harness = RunDay(Options with { Patience = DurationDistribution.Fixed(TimeSpan.FromSeconds(4)) }, 300, connect: false);
        var answered = harness.Events.OfType<CallAnswered>().Where(a => a.AnsweredBy == AnsweredBy.Human).ToList();
        Assert.NotEmpty(answered);
        foreach (var call in answered)
        {
            var hungUp = Assert.Single(harness.Events.OfType<CallHungUp>(), h => h.CallId == call.CallId);
            Assert.Equal(HangUpParty.Customer, hungUp.By);
            Assert.Equal(TimeSpan.FromSeconds(4), hungUp.At - call.At);
        }
    }

    [Fact]
    public void A_connected_customer_talks_for_the_drawn_talk_time_then_hangs_up()
    {
        var harness = RunDay(Options with { TalkTime = DurationDistribution.Fixed(TimeSpan.FromSeconds(90)) }, 300);
        foreach (var call in harness.Events.OfType<CallAnswered>().Where(a => a.AnsweredBy == AnsweredBy.Human))
        {
            var hungUp = harness.Events.OfType<CallHungUp>().Single(h => h.CallId == call.CallId);
            Assert.Equal(HangUpParty.Customer, hungUp.By);
            Assert.Equal(TimeSpan.FromSeconds(90), hungUp.At - call.At);
        }
    }

    [Fact]
    public void The_agent_can_hang_up_and_a_ringing_call_can_be_cancelled()
    {
        var harness = new CarrierHarness(Options with
        {
            AnswerRate = 1,
            MachineRate = 0,
            BusyRate = 0,
            FailureRate = 0,
            PostDialDelay = DurationDistribution.Fixed(TimeSpan.FromSeconds(2)),
            RingTime = DurationDistribution.Fixed(TimeSpan.FromSeconds(10)),
            Patience = DurationDistribution.Fixed(TimeSpan.FromMinutes(10)),
        });
        var talking = harness.Dial(1);
        var ringing = harness.Dial(2);
        harness.Clock.Advance(TimeSpan.FromSeconds(3.5));
        harness.Carrier.HangUp(ringing, HangUpParty.System);
        harness.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(ConnectOutcome.Connected, harness.Carrier.ConnectToAgent(talking, new AgentEndpoint("agent-7")));
        harness.Carrier.HangUp(talking, HangUpParty.Agent);
        harness.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Empty(harness.IllegalTransitions);
        Assert.Equal(HangUpParty.System, harness.Events.OfType<CallHungUp>().Single(h => h.CallId == ringing).By);
        Assert.Equal(HangUpParty.Agent, harness.Events.OfType<CallHungUp>().Single(h => h.CallId == talking).By);
        Assert.DoesNotContain(harness.Events, e => e is CallAnswered && e.CallId == ringing);
    }

    [Fact]
    public void A_call_that_is_gone_cannot_be_connected()
    {
        var harness = new CarrierHarness(Options with { AnswerRate = 0, BusyRate = 1, FailureRate = 0 });
        var busy = harness.Dial(1);
        Assert.Equal(ConnectOutcome.CallGone, harness.Carrier.ConnectToAgent(busy, new AgentEndpoint("agent-1")));
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, harness.Count<CallBusy>());
        Assert.Equal(ConnectOutcome.CallGone, harness.Carrier.ConnectToAgent(busy, new AgentEndpoint("agent-1")));
        harness.Carrier.HangUp(busy, HangUpParty.Agent);
        Assert.Single(harness.Events);
    }

    [Fact]
    public async Task On_real_time_the_gateway_delivers_events_through_a_channel()
    {
        var options = new SimulatedCarrierOptions
        {
            AnswerRate = 1,
            MachineRate = 0,
            BusyRate = 0,
            FailureRate = 0,
            PostDialDelay = DurationDistribution.Fixed(TimeSpan.FromMilliseconds(5)),
            RingTime = DurationDistribution.Fixed(TimeSpan.FromMilliseconds(5)),
            TalkTime = DurationDistribution.Fixed(TimeSpan.FromMilliseconds(5)),
        };
        using var carrier = new SimulatedCarrier(options, TimeProvider.System);
        ITelephonyGateway gateway = carrier;
        var channel = new CallEventChannel();
        using var subscription = gateway.Subscribe(channel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var id = await gateway.OriginateAsync(new OriginateRequest("+15550000001", "+15550100000", TimeSpan.FromSeconds(15), "case-1"), timeout.Token);
        var seen = new List<CallEvent>();
        await foreach (var callEvent in channel.Reader.ReadAllAsync(timeout.Token))
        {
            seen.Add(callEvent);
            if (callEvent is CallAnswered)
            {
                Assert.Equal(ConnectOutcome.Connected, await gateway.ConnectToAgentAsync(id, new AgentEndpoint("agent-1"), timeout.Token));
            }

            if (callEvent is CallHungUp)
            {
                break;
            }
        }

        Assert.Equal([typeof(CallRinging), typeof(CallAnswered), typeof(CallHungUp)], seen.Select(e => e.GetType()));
        Assert.All(seen, e => Assert.Equal("case-1", e.CorrelationId));
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_field()
    {
        var error = Assert.Throws<ArgumentException>(() => new SimulatedCarrier(Options with { AnswerRate = 0.9, BusyRate = 0.2 }, TimeProvider.System));
        Assert.Contains("AnswerRate + BusyRate", error.Message, StringComparison.Ordinal);
        var rate = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedCarrier(Options with { MachineRate = -0.1 }, TimeProvider.System));
        Assert.Equal("MachineRate", rate.ParamName);
    }
}
