using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Telephony.Sip.Transactions;

/// <summary>
/// The INVITE client transaction of RFC 3261 section 17.1.1 with the Accepted state of RFC 6026: Timer A retransmits
/// the INVITE over UDP (T1, doubling) until a response; Timer B (64·T1) gives up while nothing came back; a 300–699
/// is ACKed here (the same ACK again for each retransmission) and absorbed for Timer D; a 2xx goes to the user, who
/// ACKs it end to end, and so does every retransmitted 2xx during Timer M (64·T1).
/// </summary>
internal sealed class InviteClientTransaction(
    ITransactionUser user, SipFlow flow, byte[] request, string branch, TimeProvider time, SipTransportCounters counters)
    : ClientTransaction(user, flow, request, branch, SipMethod.Invite, time, counters)
{
    private TimeSpan _interval = SipTimers.T1;
    private byte[]? _ack;

    public InviteState State { get; private set; } = InviteState.Calling;

    public override void OnResponse(SipMessage response)
    {
        switch (State)
        {
            case InviteState.Calling or InviteState.Proceeding when response.StatusCode < 200:
                State = InviteState.Proceeding;
                StopRetransmit();
                User.OnResponse(this, response);
                break;
            case InviteState.Calling or InviteState.Proceeding when response.StatusCode < 300:
                State = InviteState.Accepted;
                HasFinalResponse = true;
                StopRetransmit();
                ArmTimeout(SipTimers.TransactionTimeout);
                User.OnResponse(this, response);
                break;
            case InviteState.Calling or InviteState.Proceeding:
                State = InviteState.Completed;
                HasFinalResponse = true;
                StopRetransmit();
                _ack = AckFor(response);
                if (!Send(_ack))
                {
                    return;
                }

                User.OnResponse(this, response);
                if (!IsTerminated)
                {
                    ArmTimeout(SipTimers.TimerD(Flow.IsReliable));
                }

                break;
            case InviteState.Accepted when response.StatusCode is >= 200 and < 300:
                // RFC 6026: a retransmitted 2xx goes to the user, whose ACK was lost.
                User.OnResponse(this, response);
                break;
            case InviteState.Completed when response.StatusCode >= 300:
                Counters.Retransmitted();
                Send(_ack);
                break;
        }
    }

    protected override void OnRetransmitTimer()
    {
        if (State != InviteState.Calling)
        {
            return;
        }

        Counters.Retransmitted();
        if (Send(Request))
        {
            _interval *= 2;
            ArmRetransmit(_interval);
        }
    }

    protected override void OnTimeoutTimer()
    {
        switch (State)
        {
            case InviteState.Calling:
                // Timer B: nothing at all from the trunk.
                State = InviteState.Terminated;
                Terminate(notify: false);
                User.OnFailure(this, TransactionFailure.Timeout);
                break;
            case InviteState.Proceeding:
                // Timer B does not end a transaction that has heard a provisional: the user's CANCEL does.
                break;
            default:
                // Timer D or M.
                State = InviteState.Terminated;
                Terminate();
                break;
        }
    }

    /// <summary>RFC 3261 section 17.1.1.3: the ACK of a non-2xx takes the INVITE's Request-URI, top Via, From, Call-ID,
    /// Route and CSeq number, and the response's To (with its tag).</summary>
    private byte[] AckFor(SipMessage response)
    {
        var invite = new SipMessage();
        invite.TryParse(Request);
        var ack = SipWriter.Rent();
        ack.Append("ACK "u8).Append(invite.RequestUri).Append(" SIP/2.0\r\n"u8);
        var wroteVia = false;
        for (var i = 0; i < invite.HeaderCount; i++)
        {
            switch (invite.NameAt(i))
            {
                case SipHeader.Via when !wroteVia:
                    wroteVia = true;
                    ack.Append(invite.LineAt(i)).CrLf();
                    break;
                case SipHeader.From or SipHeader.CallId or SipHeader.Route:
                    ack.Append(invite.LineAt(i)).CrLf();
                    break;
            }
        }

        for (var i = 0; i < response.HeaderCount; i++)
        {
            if (response.NameAt(i) == SipHeader.To)
            {
                ack.Append("To: "u8).Append(response.ValueAt(i)).CrLf();
                break;
            }
        }

        ack.Append("CSeq: "u8).Append(invite.CSeq).Append(" ACK\r\nMax-Forwards: 70\r\n"u8);
        return ack.Body([], []).ToArray();
    }
}

internal enum InviteState : byte
{
    Calling,
    Proceeding,
    Accepted,
    Completed,
    Terminated,
}
