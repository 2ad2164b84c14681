using System.Globalization;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Simulation;

namespace DialerCluster.Telephony.Tests;

/// <summary>A carrier on a virtual clock that records every event and checks each against the legal call lifecycle.</summary>
internal sealed class CarrierHarness : ICallEventObserver
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan RingTimeout = TimeSpan.FromSeconds(25);

    private readonly Dictionary<string, CallStage> _stages = new(StringComparer.Ordinal);

    public CarrierHarness(SimulatedCarrierOptions options)
    {
        Clock = new VirtualClock(T0);
        Carrier = new SimulatedCarrier(options, Clock);
        Carrier.Subscribe(this);
    }

    public VirtualClock Clock { get; }

    public SimulatedCarrier Carrier { get; }

    public List<CallEvent> Events { get; } = [];

    public List<string> IllegalTransitions { get; } = [];

    /// <summary>When each call was dialed, to check ring timing.</summary>
    public Dictionary<string, DateTimeOffset> DialedAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Connect every person-answered call at once (else the customer gives up).</summary>
    public bool ConnectAnswered { get; init; }

    public CallId Dial(int contact)
    {
        var id = Carrier.Originate(new OriginateRequest(
            "+1555" + contact.ToString("D7", CultureInfo.InvariantCulture), "+15550100000", RingTimeout, "case-" + contact.ToString(CultureInfo.InvariantCulture)));
        _stages[id.Value] = CallStage.Dialing;
        DialedAt[id.Value] = Clock.GetUtcNow();
        return id;
    }

    public void OnCallEvent(CallEvent callEvent)
    {
        Events.Add(callEvent);
        var stage = _stages.GetValueOrDefault(callEvent.CallId.Value, CallStage.Ended);
        var next = CallLifecycle.Next(stage, callEvent);
        if (next is null)
        {
            IllegalTransitions.Add($"{callEvent.CallId}: {callEvent.GetType().Name} in {stage}");
        }

        _stages[callEvent.CallId.Value] = next ?? CallStage.Ended;
        if (ConnectAnswered && callEvent is CallAnswered { AnsweredBy: AnsweredBy.Human })
        {
            Carrier.ConnectToAgent(callEvent.CallId, new AgentEndpoint("agent-1"));
        }
        else if (callEvent is CallAnswered { AnsweredBy: AnsweredBy.Machine })
        {
            Carrier.HangUp(callEvent.CallId, HangUpParty.System);
        }
    }

    public int Count<T>()
        where T : CallEvent => Events.Count(e => e is T);
}
