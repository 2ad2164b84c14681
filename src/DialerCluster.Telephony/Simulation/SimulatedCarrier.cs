using System.Globalization;
using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Telephony.Simulation;

/// <summary>
/// A carrier and its customers, simulated: every dial is given its fate (busy, failed, no answer, answered by a
/// person or a machine) and its durations from a seeded <see cref="Random"/> at origination, and the events play
/// out on a <see cref="TimeProvider"/>: <see cref="TimeProvider.System"/> for the live demo, a
/// <see cref="VirtualClock"/> for simulation. Same seed, same clock, same dial order → the same events.
/// </summary>
/// <remarks>
/// Thread-safe. Events are delivered under the carrier's lock, in order per call; observers must not block.
/// The synchronous methods are for single-threaded simulations; the <see cref="ITelephonyGateway"/> methods
/// complete synchronously too.
/// </remarks>
public sealed class SimulatedCarrier : ITelephonyGateway, IDisposable
{
    private readonly object _gate = new();
    private readonly SimulatedCarrierOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Dictionary<string, SimulatedCall> _calls = new(StringComparer.Ordinal);
    private ICallEventObserver[] _observers = [];
    private long _sequence;
    private long _busy;
    private long _failed;
    private long _noAnswer;
    private long _answeredByHuman;
    private long _answeredByMachine;
    private long _connected;
    private bool _disposed;

    public SimulatedCarrier(SimulatedCarrierOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _options = options;
        _time = time;
        _random = new Random(options.Seed);
    }

    public SimulatedCarrierOptions Options => _options;

    public SimulatedCarrierStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new(_sequence, _busy, _failed, _noAnswer, _answeredByHuman, _answeredByMachine, _connected, _calls.Count);
            }
        }
    }

    public IDisposable Subscribe(ICallEventObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            _observers = [.. _observers, observer];
        }

        return new Subscription(this, observer);
    }

    public ValueTask<CallId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Originate(request));
    }

    public ValueTask<ConnectOutcome> ConnectToAgentAsync(CallId call, AgentEndpoint agent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(ConnectToAgent(call, agent));
    }

    public ValueTask HangUpAsync(CallId call, HangUpParty by, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        HangUp(call, by);
        return ValueTask.CompletedTask;
    }

    /// <summary>Places a call and decides its fate now, so the random stream depends only on the order of dials.</summary>
    public CallId Originate(OriginateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var id = new CallId("sim-" + (++_sequence).ToString(CultureInfo.InvariantCulture));
            var call = new SimulatedCall(this, id, request.CorrelationId, DrawPlan(request.RingTimeout));
            _calls.Add(id.Value, call);
            call.Timer = _time.CreateTimer(static state => ((SimulatedCall)state!).OnTimer(), call, call.Plan.PostDialDelay, Timeout.InfiniteTimeSpan);
            return id;
        }
    }

    /// <summary>Bridges an answered call to an agent; the customer then talks for the call's drawn talk time and hangs up.</summary>
    public ConnectOutcome ConnectToAgent(CallId call, AgentEndpoint agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        lock (_gate)
        {
            if (!_calls.TryGetValue(call.Value, out var simulated) || simulated.Stage != CallStage.Answered || simulated.Connected)
            {
                return ConnectOutcome.CallGone;
            }

            simulated.Connected = true;
            _connected++;
            simulated.Step = Step.CustomerHangsUp;
            simulated.Timer!.Change(simulated.Plan.TalkTime, Timeout.InfiniteTimeSpan);
            return ConnectOutcome.Connected;
        }
    }

    /// <summary>Ends the call (a ringing one is cancelled). A call already ended or unknown is ignored.</summary>
    public void HangUp(CallId call, HangUpParty by)
    {
        if (!Enum.IsDefined(by))
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "by is not a defined hang-up party.");
        }

        lock (_gate)
        {
            if (!_calls.TryGetValue(call.Value, out var simulated))
            {
                return;
            }

            // A customer cannot hang up a call that has not reached them; the carrier reports such a release as the system's.
            var party = simulated.Stage == CallStage.Answered || by != HangUpParty.Customer ? by : HangUpParty.System;
            End(simulated, new CallHungUp(simulated.Id, simulated.CorrelationId, _time.GetUtcNow(), party));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var call in _calls.Values)
            {
                call.Timer?.Dispose();
            }

            _calls.Clear();
            _observers = [];
        }
    }

    private CallPlan DrawPlan(TimeSpan ringTimeout)
    {
        // Every draw happens here, in a fixed order, whatever the outcome: one dial consumes the same random numbers.
        double fate = _random.NextDouble();
        bool machine = _random.NextDouble() < _options.MachineRate;
        var postDial = _options.PostDialDelay.Sample(_random);
        var ringTime = DrawRingTime(ringTimeout);
        var detection = _options.MachineDetectionTime.Sample(_random);
        var patience = _options.Patience.Sample(_random);
        var talk = _options.TalkTime.Sample(_random);
        var message = _options.MachineMessageTime.Sample(_random);

        var outcome = fate < _options.FailureRate ? Outcome.Failed
            : fate < _options.FailureRate + _options.BusyRate ? Outcome.Busy
            : fate < _options.FailureRate + _options.BusyRate + _options.AnswerRate ? (machine ? Outcome.Machine : Outcome.Human)
            : Outcome.NoAnswer;

        return new CallPlan(outcome, postDial, outcome == Outcome.NoAnswer ? ringTimeout : ringTime, detection, patience, talk, message);
    }

    private TimeSpan DrawRingTime(TimeSpan ringTimeout)
    {
        // Answered calls are answered before the timeout by definition (else they are no-answers), so the configured
        // answer rate is what the dialer sees. Redraw a few times, then clamp, to keep the draw count bounded.
        for (int attempt = 0; attempt < 8; attempt++)
        {
            var ring = _options.RingTime.Sample(_random);
            if (ring < ringTimeout)
            {
                return ring;
            }
        }

        return ringTimeout * 0.9;
    }

    private void OnTimer(SimulatedCall call)
    {
        lock (_gate)
        {
            if (call.Stage == CallStage.Ended || _disposed)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var plan = call.Plan;
            switch (call.Step)
            {
                case Step.PostDial when plan.Outcome == Outcome.Busy:
                    _busy++;
                    End(call, new CallBusy(call.Id, call.CorrelationId, now));
                    break;
                case Step.PostDial when plan.Outcome == Outcome.Failed:
                    _failed++;
                    End(call, new CallFailed(call.Id, call.CorrelationId, now, "simulated network failure"));
                    break;
                case Step.PostDial:
                    call.Stage = CallStage.Ringing;
                    call.Step = Step.RingEnds;
                    call.Timer!.Change(plan.RingTime, Timeout.InfiniteTimeSpan);
                    Publish(new CallRinging(call.Id, call.CorrelationId, now));
                    break;
                case Step.RingEnds when plan.Outcome == Outcome.NoAnswer:
                    _noAnswer++;
                    End(call, new CallNoAnswer(call.Id, call.CorrelationId, now));
                    break;
                case Step.RingEnds when plan.Outcome == Outcome.Machine:
                    // Picked up; the verdict comes only after detection has listened to the greeting.
                    call.Step = Step.MachineDetected;
                    call.Timer!.Change(plan.MachineDetectionTime, Timeout.InfiniteTimeSpan);
                    break;
                case Step.MachineDetected:
                    _answeredByMachine++;
                    call.Stage = CallStage.Answered;
                    call.Step = Step.CustomerHangsUp;
                    call.Timer!.Change(plan.MachineMessageTime, Timeout.InfiniteTimeSpan);
                    Publish(new CallAnswered(call.Id, call.CorrelationId, now, AnsweredBy.Machine));
                    break;
                case Step.RingEnds:
                    _answeredByHuman++;
                    call.Stage = CallStage.Answered;
                    call.Step = Step.CustomerHangsUp;
                    call.Timer!.Change(plan.Patience, Timeout.InfiniteTimeSpan);
                    Publish(new CallAnswered(call.Id, call.CorrelationId, now, AnsweredBy.Human));
                    break;
                case Step.CustomerHangsUp:
                    End(call, new CallHungUp(call.Id, call.CorrelationId, now, HangUpParty.Customer));
                    break;
            }
        }
    }

    private void End(SimulatedCall call, CallEvent final)
    {
        call.Stage = CallStage.Ended;
        call.Timer?.Dispose();
        _calls.Remove(call.Id.Value);
        Publish(final);
    }

    private void Publish(CallEvent callEvent)
    {
        foreach (var observer in _observers)
        {
            observer.OnCallEvent(callEvent);
        }
    }

    private void Unsubscribe(ICallEventObserver observer)
    {
        lock (_gate)
        {
            _observers = Array.FindAll(_observers, o => !ReferenceEquals(o, observer));
        }
    }

    private enum Outcome
    {
        Busy,
        Failed,
        NoAnswer,
        Human,
        Machine,
    }

    private enum Step
    {
        PostDial,
        RingEnds,
        MachineDetected,
        CustomerHangsUp,
    }

    private readonly record struct CallPlan(
        Outcome Outcome,
        TimeSpan PostDialDelay,
        TimeSpan RingTime,
        TimeSpan MachineDetectionTime,
        TimeSpan Patience,
        TimeSpan TalkTime,
        TimeSpan MachineMessageTime);

    private sealed class SimulatedCall(SimulatedCarrier carrier, CallId id, string correlationId, CallPlan plan)
    {
        public CallId Id { get; } = id;

        public string CorrelationId { get; } = correlationId;

        public CallPlan Plan { get; } = plan;

        public ITimer? Timer { get; set; }

        public CallStage Stage { get; set; } = CallStage.Dialing;

        public Step Step { get; set; } = Step.PostDial;

        public bool Connected { get; set; }

        public void OnTimer() => carrier.OnTimer(this);
    }

    private sealed class Subscription(SimulatedCarrier carrier, ICallEventObserver observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                carrier.Unsubscribe(observer);
            }
        }
    }
}
