using System.Collections.Concurrent;
using DialerCluster.Dialing.Telephony;

namespace DialerCluster.SipBenchmark;

/// <summary>
/// Closed-loop callers: each places a call, waits for the answer, hangs up (BYE) and starts the next, until the time
/// is up. Events are matched to their caller by correlation id, as the dialer's router does.
/// </summary>
internal sealed class CallLoop(ITelephonyGateway gateway) : ICallEventObserver
{
    private static readonly TimeSpan CallPatience = TimeSpan.FromSeconds(40);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CallEvent>> _waiting = new(StringComparer.Ordinal);
    private long _sequence;
    private long _completed;
    private long _failed;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public void OnCallEvent(CallEvent callEvent)
    {
        // Ringing says nothing the loop waits for; the answer or any end does.
        if (callEvent is not CallRinging && _waiting.TryRemove(callEvent.CorrelationId, out var waiter))
        {
            waiter.TrySetResult(callEvent);
        }
    }

    public async Task RunAsync(int callers, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => CallerAsync(stop.Token))));
    }

    private async Task CallerAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var correlation = "bench-" + Interlocked.Increment(ref _sequence);
            var answered = Wait(correlation);
            CallId call;
            try
            {
                call = await gateway.OriginateAsync(new OriginateRequest("+15550199999", "+15550100000", TimeSpan.FromSeconds(30), correlation), stop);
            }
            catch (OperationCanceledException)
            {
                _waiting.TryRemove(correlation, out _);
                return;
            }

            var first = await WithPatience(answered);
            if (first is not CallAnswered)
            {
                Interlocked.Increment(ref _failed);
                continue;
            }

            var ended = Wait(correlation);
            await gateway.HangUpAsync(call, HangUpParty.Agent, CancellationToken.None);
            if (await WithPatience(ended) is CallHungUp)
            {
                Interlocked.Increment(ref _completed);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }

    private Task<CallEvent> Wait(string correlation)
    {
        var waiter = new TaskCompletionSource<CallEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[correlation] = waiter;
        return waiter.Task;
    }

    private static async Task<CallEvent?> WithPatience(Task<CallEvent> wait) =>
        await Task.WhenAny(wait, Task.Delay(CallPatience)) == wait ? await wait : null;
}
