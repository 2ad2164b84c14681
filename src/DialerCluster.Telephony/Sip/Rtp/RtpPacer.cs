using System.Collections.Concurrent;

namespace DialerCluster.Telephony.Sip.Rtp;

/// <summary>
/// One 20 ms clock for every call's outgoing silence, rather than a timer per call: at hundreds of answered calls a
/// tick costs one loop over them.
/// </summary>
internal sealed class RtpPacer : IAsyncDisposable
{
    private static readonly TimeSpan PacketTime = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentDictionary<RtpSession, byte> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public RtpPacer(TimeProvider time)
    {
        _loop = Task.Run(() => RunAsync(time));
    }

    public void Add(RtpSession session) => _sessions.TryAdd(session, 0);

    public void Remove(RtpSession session) => _sessions.TryRemove(session, out _);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _stopping.Dispose();
    }

    private async Task RunAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(PacketTime, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (var session in _sessions.Keys)
                {
                    session.SendSilence();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
