using System.Globalization;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Pacing;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Simulation;

namespace DialerCluster.Simulation;

/// <summary>
/// One campaign day as a discrete-event simulation: agents, the product's pacer and retry policy, the simulated carrier,
/// all on one <see cref="VirtualClock"/>. Single-threaded; the same seed replays the same day.
/// </summary>
internal sealed class CampaignDay : ICallEventObserver
{
    private const string CallerId = "+15550100000";
    private static readonly TimeSpan PacingInterval = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly Scenario _scenario;
    private readonly VirtualClock _clock = new(Start);
    private readonly SimulatedCarrier _carrier;
    private readonly Random _random;
    private readonly SimAgent[] _agents;
    private readonly Queue<SimAgent> _readyAgents = new();
    private readonly Queue<DialedCall> _awaitingAgent = new();
    private readonly Dictionary<string, DialedCall> _calls = new(StringComparer.Ordinal);
    private readonly ContactList _contacts;
    private readonly PacingPolicy _policy;
    private readonly PacingFeed _feed = new(TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(30));
    private readonly List<double> _connectSeconds = [];
    private readonly DateTimeOffset _end;
    private readonly Action<DialedCall> _identificationMessage;

    private readonly List<DialedCall> _releasing = [];
    private readonly double[] _answerTiming = new double[PacingFeed.OutlookSteps];
    private long _released;
    private int _inFlight;
    private int _awaiting;
    private long _dials;
    private long _answeredByPerson;
    private long _connected;
    private long _abandoned;
    private long _pacingDecisions;
    private TimeSpan _talk;
    private TimeSpan _idle;

    public CampaignDay(Scenario scenario, int seed)
    {
        _scenario = scenario;
        _end = Start + Scenario.Day;
        _random = new Random(seed ^ 0x5eed);
        var settings = new CampaignSettings { Name = "simulation", DialMode = scenario.Mode };
        _contacts = new ContactList(settings);
        _policy = PacingPolicy.From(settings);

        // FCC 47 CFR 64.1200(a)(7)(i)(A): within 2 s of the greeting, play a recorded message naming the seller and a
        // number to opt out. The campaign grain plugs the real one in; here it only marks the step.
        _identificationMessage = static _ => { };

        _carrier = new SimulatedCarrier(
            new SimulatedCarrierOptions
            {
                Seed = seed,
                AnswerRate = scenario.AnswerRate,
                MachineRate = Scenario.MachineRate,
                BusyRate = Scenario.BusyRate,
                FailureRate = Scenario.FailureRate,
                TalkTime = DurationDistribution.LogNormal(scenario.MeanTalkTime, Scenario.TalkTimeVariation),
            },
            _clock);
        _carrier.Subscribe(this);

        _agents = new SimAgent[scenario.Agents];
        for (int i = 0; i < _agents.Length; i++)
        {
            _agents[i] = new SimAgent(new AgentEndpoint("agent-" + i.ToString(CultureInfo.InvariantCulture))) { Since = Start };
        }
    }

    public DayResult Run()
    {
        foreach (var agent in _agents)
        {
            BecomeAvailable(agent);
        }

        if (_scenario.Mode != DialMode.Preview)
        {
            _clock.CreateTimer(_ => Pace(), null, TimeSpan.Zero, PacingInterval);
        }

        _clock.RunUntil(_end);

        foreach (var agent in _agents)
        {
            Account(agent, _end);
        }

        _connectSeconds.Sort();
        return new DayResult(
            _scenario,
            LoggedIn: Scenario.Day * _agents.Length,
            Talk: _talk,
            Idle: _idle,
            Dials: _dials,
            AnsweredByPerson: _answeredByPerson,
            Connected: _connected,
            Abandoned: _abandoned,
            AbandonedRedialedWithin72Hours: _contacts.AbandonedRedialedWithin72Hours,
            ConnectP50Seconds: Percentile(0.50),
            ConnectP99Seconds: Percentile(0.99),
            PacingDecisions: _pacingDecisions,
            Released: _released);
    }

    public void OnCallEvent(CallEvent callEvent)
    {
        if (!_calls.TryGetValue(callEvent.CallId.Value, out var call))
        {
            return;
        }

        var now = callEvent.At;
        switch (callEvent)
        {
            case CallRinging:
                call.RingingAt = now;
                break;
            case CallAnswered { AnsweredBy: AnsweredBy.Human }:
                Resolved(call, answeredByPerson: true);
                _feed.RecordPersonAnswered(now - call.DialedAt, now);
                _answeredByPerson++;
                call.AnsweredAt = now;
                OnPersonAnswered(call);
                break;
            case CallAnswered:
                Resolved(call, answeredByPerson: false);
                Finish(call, CallOutcome.Voicemail, now);
                _carrier.HangUp(call.Id, HangUpParty.System);
                break;
            case CallBusy:
                Resolved(call, answeredByPerson: false);
                Finish(call, CallOutcome.Busy, now);
                break;
            case CallNoAnswer:
                Resolved(call, answeredByPerson: false);
                Finish(call, CallOutcome.NoAnswer, now);
                break;
            case CallFailed:
                Resolved(call, answeredByPerson: false);
                Finish(call, CallOutcome.Failed, now);
                break;
            case CallHungUp { By: HangUpParty.Customer }:
                OnCustomerHungUp(call, now);
                break;
        }
    }

    private void OnPersonAnswered(DialedCall call)
    {
        var agent = call.Owner;
        if (agent is null && _readyAgents.Count > 0)
        {
            agent = _readyAgents.Dequeue();
        }

        if (agent is not null)
        {
            Connect(call, agent);
            return;
        }

        call.Phase = CallPhase.AwaitingAgent;
        _awaitingAgent.Enqueue(call);
        _awaiting++;
        _clock.Schedule(Scenario.AbandonAfter, () => AbandonIfStillWaiting(call));
    }

    private void AbandonIfStillWaiting(DialedCall call)
    {
        if (call.Phase != CallPhase.AwaitingAgent)
        {
            return;
        }

        var now = _clock.GetUtcNow();
        _identificationMessage(call);
        Abandon(call, now);
        _carrier.HangUp(call.Id, HangUpParty.System);
    }

    private void Abandon(DialedCall call, DateTimeOffset now)
    {
        call.Phase = CallPhase.Ended;
        _awaiting--;
        _abandoned++;
        _feed.RecordAbandoned(now);
        Finish(call, CallOutcome.Abandoned, now);
    }

    private void OnCustomerHungUp(DialedCall call, DateTimeOffset now)
    {
        switch (call.Phase)
        {
            case CallPhase.AwaitingAgent:
                // Gave up in the silence before an agent came: abandoned by any reading of the rule.
                Abandon(call, now);
                break;
            case CallPhase.Talking:
                var agent = call.Agent!;
                _feed.TalkTime.Record(now - agent.Since);
                call.Phase = CallPhase.Ended;
                _calls.Remove(call.Id.Value);
                Account(agent, now);
                agent.State = AgentState.WrappingUp;
                var wrapUp = Scenario.WrapUpMin + ((Scenario.WrapUpMax - Scenario.WrapUpMin) * _random.NextDouble());
                _clock.Schedule(wrapUp, () =>
                {
                    _feed.WrapUpTime.Record(wrapUp);
                    Account(agent, _clock.GetUtcNow());
                    BecomeAvailable(agent);
                });
                break;
        }
    }

    private void Connect(DialedCall call, SimAgent agent)
    {
        var now = _clock.GetUtcNow();
        if (_carrier.ConnectToAgent(call.Id, agent.Endpoint) != ConnectOutcome.Connected)
        {
            // The customer left between answer and bridge; the agent is still free.
            BecomeAvailable(agent);
            return;
        }

        _connected++;
        _connectSeconds.Add((now - call.AnsweredAt).TotalSeconds);
        call.Phase = CallPhase.Talking;
        call.Agent = agent;
        Account(agent, now);
        agent.State = AgentState.Talking;
        Finish(call, CallOutcome.Talked, now);
    }

    /// <summary>An agent is free: serve a waiting answered call first, then (preview) start the next case or wait.</summary>
    private void BecomeAvailable(SimAgent agent)
    {
        while (_awaitingAgent.Count > 0)
        {
            var waiting = _awaitingAgent.Dequeue();
            if (waiting.Phase == CallPhase.AwaitingAgent)
            {
                _awaiting--;
                Connect(waiting, agent);
                return;
            }
        }

        if (_scenario.Mode == DialMode.Preview)
        {
            agent.State = AgentState.Previewing;
            _clock.Schedule(Scenario.PreviewTime, () => Dial(owner: agent));
            return;
        }

        agent.State = AgentState.Ready;
        _readyAgents.Enqueue(agent);
    }

    private void Pace()
    {
        var now = _clock.GetUtcNow();
        _feed.BeginDecision();
        foreach (var agent in _agents)
        {
            if (agent.State == AgentState.Talking)
            {
                _feed.AddTalking(now - agent.Since);
            }
            else if (agent.State == AgentState.WrappingUp)
            {
                _feed.AddWrappingUp(now - agent.Since);
            }
        }

        foreach (var call in _calls.Values)
        {
            if (call.Phase == CallPhase.Dialing)
            {
                _feed.AddDialing(now - call.DialedAt);
            }
        }

        var input = _feed.Complete(_policy, _agents.Length, _readyAgents.Count, _inFlight, _awaiting, now);
        _pacingDecisions++;
        int lines = Pacer.LinesToDial(in input);
        ReleaseOverdialed(in input, now);
        for (int i = 0; i < lines; i++)
        {
            Dial(owner: null);
        }
    }

    /// <summary>Hangs up calls that have rung 15 s (FCC 47 CFR 64.1200(a)(6)) and whose answer, should it still come,
    /// the pacer expects to find no agent. The carrier already supports releasing a ringing call; nobody answered, so it is
    /// not an abandon, and the number is retried like a no-answer.</summary>
    private void ReleaseOverdialed(in PacingInput input, DateTimeOffset now)
    {
        _releasing.Clear();
        foreach (var call in _calls.Values)
        {
            if (call.Phase == CallPhase.Dialing && call.RingingAt is { } ringingAt && now - ringingAt >= Pacer.MinimumRingBeforeRelease)
            {
                _feed.FillAnswerTiming(now - call.DialedAt, _answerTiming);
                if (Pacer.ShouldRelease(in input, now - ringingAt, _answerTiming))
                {
                    _releasing.Add(call);
                }
            }
        }

        foreach (var call in _releasing)
        {
            // Counted as what it was for the dialer, a call that reached nobody: leaving it out would read the answer rate
            // only from calls that were not cut short, which are more often answered, and under-dial.
            call.Phase = CallPhase.Ended;
            Resolved(call, answeredByPerson: false);
            _released++;
            _carrier.HangUp(call.Id, HangUpParty.System);
            Finish(call, CallOutcome.NoAnswer, now);
        }
    }

    private void Dial(SimAgent? owner)
    {
        var now = _clock.GetUtcNow();
        if (owner is not null)
        {
            Account(owner, now);
            owner.State = AgentState.DialingOwn;
        }

        int contact = _contacts.Next(now);
        var request = new OriginateRequest(
            ContactList.Number(contact), CallerId, Scenario.RingTimeout, contact.ToString(CultureInfo.InvariantCulture));
        var id = _carrier.Originate(request);
        _calls.Add(id.Value, new DialedCall(id, contact, now, owner));
        _inFlight++;
        _dials++;
    }

    private void Resolved(DialedCall call, bool answeredByPerson)
    {
        _inFlight--;
        if (!answeredByPerson)
        {
            _feed.RecordOtherOutcome(_clock.GetUtcNow() - call.DialedAt);
            _calls.Remove(call.Id.Value);
            if (call.Owner is { } owner)
            {
                Account(owner, _clock.GetUtcNow());
                BecomeAvailable(owner);
            }
        }
    }

    private void Finish(DialedCall call, CallOutcome outcome, DateTimeOffset now) =>
        _contacts.Finished(call.Contact, outcome, now);

    /// <summary>Books the time since the agent's last change to the state it was in.</summary>
    private void Account(SimAgent agent, DateTimeOffset now)
    {
        var spent = now - agent.Since;
        agent.Since = now;
        switch (agent.State)
        {
            case AgentState.Talking:
                _talk += spent;
                break;
            case AgentState.Ready or AgentState.Previewing or AgentState.DialingOwn:
                _idle += spent;
                break;
        }
    }

    private double Percentile(double q) =>
        _connectSeconds.Count == 0 ? 0 : _connectSeconds[(int)Math.Min(_connectSeconds.Count - 1, Math.Floor(q * _connectSeconds.Count))];

    private enum AgentState
    {
        Ready,
        Previewing,
        DialingOwn,
        Talking,
        WrappingUp,
    }

    private enum CallPhase
    {
        Dialing,
        AwaitingAgent,
        Talking,
        Ended,
    }

    private sealed class SimAgent(AgentEndpoint endpoint)
    {
        public AgentEndpoint Endpoint { get; } = endpoint;

        public AgentState State { get; set; }

        public DateTimeOffset Since { get; set; }
    }

    private sealed class DialedCall(CallId id, int contact, DateTimeOffset dialedAt, SimAgent? owner)
    {
        public CallId Id { get; } = id;

        public int Contact { get; } = contact;

        public DateTimeOffset DialedAt { get; } = dialedAt;

        /// <summary>Preview: the agent who dialed it and gets it.</summary>
        public SimAgent? Owner { get; } = owner;

        public CallPhase Phase { get; set; } = CallPhase.Dialing;

        public DateTimeOffset AnsweredAt { get; set; }

        public DateTimeOffset? RingingAt { get; set; }

        public SimAgent? Agent { get; set; }
    }
}
