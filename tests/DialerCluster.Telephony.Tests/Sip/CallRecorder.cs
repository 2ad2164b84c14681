using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>Records a gateway's events, checks each against the legal call lifecycle, and lets a test wait for one.</summary>
internal sealed class CallRecorder : ICallEventObserver
{
    private readonly Lock _gate = new();
    private readonly List<CallEvent> _events = [];
    private readonly Dictionary<string, CallStage> _stages = new(StringComparer.Ordinal);
    private readonly List<(Func<CallEvent, bool> Match, TaskCompletionSource<CallEvent> Seen)> _waiters = [];

    public List<string> IllegalTransitions { get; } = [];

    public IReadOnlyList<CallEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The events of one call, in order.</summary>
    public IReadOnlyList<CallEvent> Of(CallId call) => [.. Events.Where(e => e.CallId == call)];

    public void OnCallEvent(CallEvent callEvent)
    {
        List<TaskCompletionSource<CallEvent>> matched = [];
        lock (_gate)
        {
            _events.Add(callEvent);
            var stage = _stages.GetValueOrDefault(callEvent.CallId.Value, CallStage.Dialing);
            var next = CallLifecycle.Next(stage, callEvent);
            if (next is null)
            {
                IllegalTransitions.Add($"{callEvent.CallId}: {callEvent.GetType().Name} in {stage}");
            }

            _stages[callEvent.CallId.Value] = next ?? CallStage.Ended;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(callEvent))
                {
                    matched.Add(_waiters[i].Seen);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in matched)
        {
            waiter.TrySetResult(callEvent);
        }
    }

    /// <summary>Waits for an event of type <typeparamref name="T"/> (already seen or still to come) matching <paramref name="match"/>.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan timeout)
        where T : CallEvent
    {
        var seen = new TaskCompletionSource<CallEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _events.OfType<T>().FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((e => e is T typed && match(typed), seen));
        }

        var finished = await Task.WhenAny(seen.Task, Task.Delay(timeout));
        if (finished != seen.Task)
        {
            throw new TimeoutException($"No {typeof(T).Name} within {timeout.TotalSeconds:0} s. Events: {string.Join(", ", Events)}");
        }

        return (T)await seen.Task;
    }

    public Task<T> WaitForAsync<T>(CallId call, TimeSpan timeout)
        where T : CallEvent => WaitForAsync<T>(e => e.CallId == call, timeout);

    /// <summary>Waits for the call's final event (busy, no answer, failed, hung up).</summary>
    public Task<CallEvent> EndOfAsync(CallId call, TimeSpan timeout) =>
        WaitForAsync<CallEvent>(e => e.CallId == call && e is CallBusy or CallNoAnswer or CallFailed or CallHungUp, timeout);
}
