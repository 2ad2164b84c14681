using System.Text;
using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Telephony.Sip.Transactions;

/// <summary>
/// What the INVITE and non-INVITE client transactions share: the request's bytes (kept for retransmission), its
/// branch, the flow it left by, and two timers (retransmit; timeout or linger) on a <see cref="TimeProvider"/>, so the
/// timer rules run on a virtual clock in tests. Every method is called with the user's gate held.
/// </summary>
internal abstract class ClientTransaction
{
    private ITimer? _retransmit;
    private ITimer? _timeout;

    protected ClientTransaction(ITransactionUser user, SipFlow flow, byte[] request, string branch, SipMethod method, TimeProvider time, SipTransportCounters counters)
    {
        User = user;
        Flow = flow;
        Request = request;
        Branch = branch;
        Method = method;
        Time = time;
        Counters = counters;
    }

    public byte[] Request { get; }

    public string Branch { get; }

    public SipMethod Method { get; }

    public SipFlow Flow { get; }

    public bool IsTerminated { get; private set; }

    /// <summary>Whether a final response has been received.</summary>
    public bool HasFinalResponse { get; protected set; }

    protected ITransactionUser User { get; }

    protected TimeProvider Time { get; }

    protected SipTransportCounters Counters { get; }

    /// <summary>Sends the request and arms the timers: retransmission after T1 over UDP (Timer A or E), and the
    /// transaction timeout of 64·T1 (Timer B or F).</summary>
    public void Start()
    {
        if (!Send(Request))
        {
            return;
        }

        if (!Flow.IsReliable)
        {
            ArmRetransmit(SipTimers.T1);
        }

        ArmTimeout(SipTimers.TransactionTimeout);
    }

    /// <summary>A response whose top Via branch and CSeq method matched this transaction (RFC 3261 section 17.1.3).</summary>
    public abstract void OnResponse(SipMessage response);

    /// <summary>The user ends the transaction early (the call is over and nothing it could still hear matters).</summary>
    public void Abandon() => Terminate(notify: false);

    /// <summary>Whether <paramref name="response"/> belongs to this transaction.</summary>
    public bool Matches(SipMessage response) =>
        !IsTerminated && response.Method == Method && Ascii.Equals(response.Branch, Branch);

    protected abstract void OnRetransmitTimer();

    protected abstract void OnTimeoutTimer();

    protected bool Send(ReadOnlySpan<byte> message)
    {
        if (Flow.Send(message))
        {
            return true;
        }

        Terminate(notify: false);
        User.OnFailure(this, TransactionFailure.TransportError);
        return false;
    }

    protected void ArmRetransmit(TimeSpan due)
    {
        _retransmit ??= Time.CreateTimer(static state => ((ClientTransaction)state!).Fire(retransmit: true), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _retransmit.Change(due, Timeout.InfiniteTimeSpan);
    }

    protected void StopRetransmit() => _retransmit?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>Arms the timeout (B, F) or linger (D, K, M) timer; a zero linger (TCP) terminates at once.</summary>
    protected void ArmTimeout(TimeSpan due)
    {
        if (due <= TimeSpan.Zero)
        {
            OnTimeoutTimer();
            return;
        }

        _timeout ??= Time.CreateTimer(static state => ((ClientTransaction)state!).Fire(retransmit: false), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timeout.Change(due, Timeout.InfiniteTimeSpan);
    }

    protected void Terminate(bool notify = true)
    {
        if (IsTerminated)
        {
            return;
        }

        IsTerminated = true;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        if (notify)
        {
            User.OnTerminated(this);
        }
    }

    private void Fire(bool retransmit)
    {
        lock (User.Gate)
        {
            if (IsTerminated)
            {
                return;
            }

            if (retransmit)
            {
                OnRetransmitTimer();
            }
            else
            {
                OnTimeoutTimer();
            }
        }
    }
}
