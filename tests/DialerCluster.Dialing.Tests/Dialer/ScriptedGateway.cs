using System.Collections.Concurrent;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Dialing.Tests.Dialer;

/// <summary>A gateway the test drives: it records what the dialer asks and raises the events the test chooses.</summary>
internal sealed class ScriptedGateway : ITelephonyGateway
{
    private readonly ConcurrentQueue<ICallEventObserver> _observers = new();
    private int _sequence;

    public ConcurrentQueue<(CallId Call, OriginateRequest Request)> Originated { get; } = new();

    public ConcurrentQueue<(CallId Call, HangUpParty By)> HungUp { get; } = new();

    public ConcurrentQueue<(CallId Call, AgentEndpoint Agent)> Connected { get; } = new();

    public ValueTask<CallId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken)
    {
        var id = new CallId("sim-" + Interlocked.Increment(ref _sequence));
        Originated.Enqueue((id, request));
        return ValueTask.FromResult(id);
    }

    public ValueTask<ConnectOutcome> ConnectToAgentAsync(CallId call, AgentEndpoint agent, CancellationToken cancellationToken)
    {
        Connected.Enqueue((call, agent));
        return ValueTask.FromResult(ConnectOutcome.Connected);
    }

    public ValueTask HangUpAsync(CallId call, HangUpParty by, CancellationToken cancellationToken)
    {
        HungUp.Enqueue((call, by));
        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(ICallEventObserver observer)
    {
        _observers.Enqueue(observer);
        return new Unsubscribe();
    }

    public void Raise(CallEvent callEvent)
    {
        foreach (var observer in _observers)
        {
            observer.OnCallEvent(callEvent);
        }
    }

    private sealed class Unsubscribe : IDisposable
    {
        public void Dispose()
        {
        }
    }
}

/// <summary>The calls table in memory.</summary>
internal sealed class MemoryCallStore : ICallStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, (CallStart Start, CallEnd? End)> _calls = [];

    public IReadOnlyList<(CallStart Start, CallEnd? End)> All
    {
        get
        {
            lock (_gate)
            {
                return _calls.OrderBy(c => c.Key).Select(c => c.Value).ToArray();
            }
        }
    }

    public Task<long> StartAsync(CallStart call, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var id = _calls.Count + 1L;
            _calls.Add(id, (call, null));
            return Task.FromResult(id);
        }
    }

    public Task EndAsync(CallEnd call, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _calls[call.CallId] = (_calls[call.CallId].Start, call);
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<long>> CasesWithOpenCallsAsync(long campaignId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<long> open = _calls.Values
                .Where(c => c.Start.CampaignId == campaignId && c.Start.StartedAt >= since && c.End is null)
                .Select(c => c.Start.CaseId)
                .Distinct()
                .ToArray();
            return Task.FromResult(open);
        }
    }

    public Task<(int Answered, int Abandoned)> AbandonCountsAsync(long campaignId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var ended = _calls.Values.Where(c => c.Start.CampaignId == campaignId && c.Start.StartedAt >= since && c.End is not null).Select(c => c.End!).ToArray();
            return Task.FromResult((ended.Count(e => e.AnsweredAt is not null || e.Abandoned), ended.Count(e => e.Abandoned)));
        }
    }
}

internal static class CallOutcomes
{
    public static CampaignSettings Progressive(int maxAttempts = 5) =>
        new() { Name = "dialed leads", DialMode = DialMode.Progressive, MaxAttempts = maxAttempts };
}
