using System.Threading.Channels;

namespace DialerCluster.Dialing.Telephony;

/// <summary>Turns gateway callbacks into a <see cref="ChannelReader{T}"/> for consumers that read in their own turn.</summary>
/// <remarks>Unbounded on purpose: dropping or blocking on a telephony event would lose a call's outcome.</remarks>
public sealed class CallEventChannel : ICallEventObserver
{
    private readonly Channel<CallEvent> _channel = Channel.CreateUnbounded<CallEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public ChannelReader<CallEvent> Reader => _channel.Reader;

    public void OnCallEvent(CallEvent callEvent) => _channel.Writer.TryWrite(callEvent);

    /// <summary>No further events; readers finish after draining what is queued.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
