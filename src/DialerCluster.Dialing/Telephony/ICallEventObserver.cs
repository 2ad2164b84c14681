namespace DialerCluster.Dialing.Telephony;

/// <summary>Receives call events. Called on the gateway's thread: return quickly and never block
/// (a grain posts the event to its own mailbox; <see cref="CallEventChannel"/> does exactly that).</summary>
public interface ICallEventObserver
{
    void OnCallEvent(CallEvent callEvent);
}
