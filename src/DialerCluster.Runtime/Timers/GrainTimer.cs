using Microsoft.Extensions.Logging;

namespace DialerCluster.Runtime;

/// <summary>
/// A timer whose ticks run as turns of their grain. The next tick is armed only after the callback
/// finished, so a slow callback delays the timer instead of stacking turns in the mailbox.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly Activation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeSpan _dueTime;
    private readonly TimeSpan _period;
    private readonly bool _keepAlive;
    private readonly CancellationTokenSource _disposed = new();
    private ITimer? _timer;

    public GrainTimer(Activation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period, bool keepAlive)
    {
        _activation = activation;
        _callback = callback;
        _dueTime = dueTime;
        _period = period;
        _keepAlive = keepAlive;
    }

    public void Start()
        => _timer = _activation.Runtime.TimeProvider.CreateTimer(static s => ((GrainTimer)s!).OnTick(), this, _dueTime, Timeout.InfiniteTimeSpan);

    private void OnTick()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (_activation.TryEnqueue(new TickWorkItem(this)) != Admission.Accepted)
        {
            Dispose();
        }
    }

    private async ValueTask RunTickAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _callback(_disposed.Token);
        }
        catch (Exception ex) when (!_disposed.IsCancellationRequested)
        {
            _activation.Runtime.Logger.LogError(ex, "Timer callback of {GrainId} failed", _activation.Id);
        }
        catch (OperationCanceledException)
        {
        }

        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
        {
            try
            {
                _timer?.Change(_period, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer?.Dispose();
        _activation.RemoveTimer(this);
    }

    private sealed class TickWorkItem(GrainTimer timer) : WorkItem(CallKind.Exclusive)
    {
        public override bool CountsAsActivity => timer._keepAlive;

        public override ValueTask RunAsync(Activation activation) => timer.RunTickAsync();

        public override void Fail(Exception exception)
        {
        }
    }
}
