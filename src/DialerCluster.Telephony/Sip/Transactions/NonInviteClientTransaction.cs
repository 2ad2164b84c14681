using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Telephony.Sip.Transactions;

/// <summary>
/// The non-INVITE client transaction of RFC 3261 section 17.1.2 (BYE, CANCEL, OPTIONS): Timer E retransmits over UDP
/// (T1 doubling up to T2; T2 once a provisional came), Timer F (64·T1) gives up, Timer K absorbs retransmitted finals.
/// </summary>
internal sealed class NonInviteClientTransaction(
    ITransactionUser user, SipFlow flow, byte[] request, string branch, SipMethod method, TimeProvider time, SipTransportCounters counters)
    : ClientTransaction(user, flow, request, branch, method, time, counters)
{
    private TimeSpan _interval = SipTimers.T1;
    private bool _proceeding;

    public override void OnResponse(SipMessage response)
    {
        if (HasFinalResponse)
        {
            return;
        }

        if (response.StatusCode < 200)
        {
            _proceeding = true;
            User.OnResponse(this, response);
            return;
        }

        HasFinalResponse = true;
        StopRetransmit();
        User.OnResponse(this, response);
        if (!IsTerminated)
        {
            ArmTimeout(SipTimers.TimerK(Flow.IsReliable));
        }
    }

    protected override void OnRetransmitTimer()
    {
        if (HasFinalResponse)
        {
            return;
        }

        Counters.Retransmitted();
        if (Send(Request))
        {
            _interval = _proceeding ? SipTimers.T2 : TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, SipTimers.T2.Ticks));
            ArmRetransmit(_interval);
        }
    }

    protected override void OnTimeoutTimer()
    {
        if (HasFinalResponse)
        {
            Terminate();
            return;
        }

        Terminate(notify: false);
        User.OnFailure(this, TransactionFailure.Timeout);
    }
}
