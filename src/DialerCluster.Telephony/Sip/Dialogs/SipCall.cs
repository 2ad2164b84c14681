using System.Text;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Sip.Auth;
using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Rtp;
using DialerCluster.Telephony.Sip.Sdp;
using DialerCluster.Telephony.Sip.Transactions;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Telephony.Sip.Dialogs;

/// <summary>
/// One outbound call as a SIP user agent client (RFC 3261): the INVITE (and its one authenticated retry), the early
/// and confirmed dialog (Call-ID, tags, CSeq, route set from Record-Route, remote target from Contact), the ACK of the
/// 2xx (sent again for each retransmitted 2xx), CANCEL on the ring timeout or a release, BYE in both directions, and
/// the call's media. Every transition happens with <see cref="Gate"/> held, and each publishes at most one event in the
/// order <see cref="CallLifecycle"/> allows.
/// </summary>
internal sealed class SipCall : ITransactionUser
{
    private readonly SipGateway _gateway;
    private SipFlow _flow = null!;
    private readonly RtpSession _rtp;
    private readonly TimeSpan _ringTimeout;
    private readonly string _requestUri;
    private readonly string _from;
    private readonly string _to;
    private readonly string _callerId;
    private readonly byte[] _offer;
    private int _cseq = 1;
    private InviteClientTransaction? _invite;
    private NonInviteClientTransaction? _cancel;
    private NonInviteClientTransaction? _bye;
    private CallStage _stage = CallStage.Dialing;
    private bool _provisional;
    private CancelCause _cancelCause;
    private bool _cancelSent;
    private bool _authTried;
    private bool _earlyMedia;
    private bool _alerting;
    private string? _remoteTag;
    private string? _remoteTarget;
    private string[] _routeSet = [];
    private byte[]? _ack;
    private string? _byeBranch;
    private byte[]? _byeResponse;
    private bool _connected;
    private ITimer? _ringTimer;
    private DateTimeOffset _ringingAt;
    private ITimer? _cancelTimer;

    public SipCall(SipGateway gateway, RtpSession rtp, OriginateRequest request, string callId, string localTag)
    {
        _gateway = gateway;
        _rtp = rtp;
        Id = new CallId(callId);
        CorrelationId = request.CorrelationId;
        LocalTag = localTag;
        _ringTimeout = request.RingTimeout;
        _callerId = request.CallerId;
        var trunk = gateway.Options.Trunk.ToString();
        _requestUri = $"sip:{request.Number}@{trunk};user=phone";
        _from = $"<sip:{request.CallerId}@{trunk}>;tag={localTag}";
        _to = $"<sip:{request.Number}@{trunk}>";
        _offer = SdpOffer.Write(gateway.AdvertisedAddress, rtp.Port, Random.Shared.NextInt64(1, long.MaxValue));
    }

    public Lock Gate { get; } = new();

    public CallId Id { get; }

    public string CorrelationId { get; }

    public string LocalTag { get; }

    public RtpSession Rtp => _rtp;

    public SipCallMedia Media => new(_rtp.Port, _rtp.PacketsReceived, _rtp.PacketsSent, _earlyMedia);

    /// <summary>The first INVITE's size over UDP, to choose the flow: over 1300 bytes it goes by TCP (RFC 3261 section 18.1.1).</summary>
    public int InviteLength => BuildInvite("UDP", NewBranch(), authorization: null).Length;

    /// <summary>Sends the first INVITE by <paramref name="flow"/>, which every later request of the call also takes.</summary>
    public void Start(SipFlow flow)
    {
        lock (Gate)
        {
            _flow = flow;
            SendInvite(authorization: null);
        }
    }

    /// <summary>Forgets the call once its linger for retransmissions is over (kept here so the timer stays referenced).</summary>
    public ITimer? Linger { get; set; }

    /// <summary>Bridging to the agent's phone leg is the next step (issue: media bridge); for now an answered call that is
    /// still up is "connected", once, and anything else is gone.</summary>
    public ConnectOutcome Connect()
    {
        lock (Gate)
        {
            if (_stage != CallStage.Answered || _connected)
            {
                return ConnectOutcome.CallGone;
            }

            _connected = true;
            return ConnectOutcome.Connected;
        }
    }

    /// <summary>BYE when answered; CANCEL while ringing (deferred until a provisional came, RFC 3261 section 9.1); nothing once ended.</summary>
    public void HangUp(HangUpParty by)
    {
        lock (Gate)
        {
            switch (_stage)
            {
                case CallStage.Answered:
                    SendBye();
                    End(new CallHungUp(Id, CorrelationId, _gateway.Now, by));
                    break;
                case CallStage.Dialing or CallStage.Ringing when !_cancelCause.IsSet:
                    _cancelCause = CancelCause.HangUp(by);
                    if (_provisional)
                    {
                        SendCancel();
                    }

                    break;
            }
        }
    }

    /// <summary>A response whose Call-ID is this call's.</summary>
    public void OnReceived(SipMessage response)
    {
        lock (Gate)
        {
            if (_invite is { } invite && invite.Matches(response))
            {
                invite.OnResponse(response);
            }
            else if (_cancel is { } cancel && cancel.Matches(response))
            {
                cancel.OnResponse(response);
            }
            else if (_bye is { } bye && bye.Matches(response))
            {
                bye.OnResponse(response);
            }
            else
            {
                _gateway.CountStray();
            }
        }
    }

    /// <summary>A BYE from the far end: 200 OK (again for a retransmission), and the customer hung up.</summary>
    public void OnBye(SipMessage bye, SipFlow source)
    {
        lock (Gate)
        {
            if (_byeBranch is not null && Ascii.Equals(bye.Branch, _byeBranch))
            {
                _gateway.Counters.Retransmitted();
                source.Send(_byeResponse);
                return;
            }

            var matchesDialog = _remoteTag is not null && Ascii.Equals(bye.FromTag, _remoteTag) && Ascii.Equals(bye.ToTag, LocalTag);
            if (!matchesDialog || _stage is not (CallStage.Answered or CallStage.Ended))
            {
                source.Send(SipResponses.Stateless(bye, 481, "Call/Transaction Does Not Exist"u8, LocalTag));
                return;
            }

            _byeBranch = Encoding.ASCII.GetString(bye.Branch);
            _byeResponse = SipResponses.Stateless(bye, 200, "OK"u8, toTag: null);
            source.Send(_byeResponse);
            if (_stage == CallStage.Answered)
            {
                End(new CallHungUp(Id, CorrelationId, _gateway.Now, HangUpParty.Customer));
            }
        }
    }

    public void OnResponse(ClientTransaction transaction, SipMessage response)
    {
        if (transaction == _invite)
        {
            OnInviteResponse(response);
        }

        // Responses to CANCEL and BYE change nothing: the INVITE's 487, or our own hang-up, ended the call.
    }

    public void OnFailure(ClientTransaction transaction, TransactionFailure failure)
    {
        if (transaction != _invite || _stage == CallStage.Ended)
        {
            return;
        }

        var reason = failure == TransactionFailure.Timeout ? "408 no response from the trunk (Timer B)" : "503 transport error toward the trunk";
        End(_cancelCause.IsSet
            ? FinalResponses.Cancelled(_cancelCause, Id, CorrelationId, _gateway.Now)
            : new CallFailed(Id, CorrelationId, _gateway.Now, reason));
    }

    public void OnTerminated(ClientTransaction transaction)
    {
    }

    private void OnInviteResponse(SipMessage response)
    {
        var status = response.StatusCode;
        if (status < 200)
        {
            OnProvisional(response);
        }
        else if (status < 300)
        {
            OnSuccess(response);
        }
        else if (_stage != CallStage.Ended)
        {
            OnFinalFailure(response);
        }
    }

    private void OnProvisional(SipMessage response)
    {
        if (_stage == CallStage.Ended)
        {
            return;
        }

        if (!response.ToTag.IsEmpty && !response.Body.IsEmpty && SdpAnswer.TryParse(response.Body, out _))
        {
            // 183 Session Progress with SDP: the network plays tones or announcements before any answer.
            _earlyMedia = true;
        }

        // 100 Trying only says the call is being routed; 180 and 183 say the phone rings. The legal minimum ring
        // (47 CFR 64.1200(a)(6)) and our ring timeout count from the first of those, not from the 100.
        var alerting = response.StatusCode != 100;
        if (_provisional)
        {
            if (alerting && !_alerting)
            {
                _alerting = true;
                _ringingAt = _gateway.Now;
                _gateway.Publish(new CallRinging(Id, CorrelationId, _ringingAt, Alerting: true));
                _ringTimer?.Change(_ringTimeout, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        _provisional = true;
        _alerting = alerting;
        _stage = CallStage.Ringing;
        _ringingAt = _gateway.Now;
        _gateway.Publish(new CallRinging(Id, CorrelationId, _ringingAt, alerting));
        if (_cancelCause.IsSet)
        {
            SendCancel();
        }
        else
        {
            _ringTimer = _gateway.Time.CreateTimer(static state => ((SipCall)state!).OnRingTimeout(), this, _ringTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSuccess(SipMessage response)
    {
        if (_remoteTag is not null)
        {
            if (Ascii.Equals(response.ToTag, _remoteTag) && _ack is not null)
            {
                // Our ACK was lost: the far end retransmits its 2xx until one arrives (RFC 3261 section 13.3.1.4).
                _gateway.Counters.Retransmitted();
                _flow.Send(_ack);
            }

            return;
        }

        if (_stage == CallStage.Ended)
        {
            return;
        }

        _remoteTag = Encoding.UTF8.GetString(response.ToTag);
        _remoteTarget = RemoteTarget(response);
        _routeSet = RouteSet(response);
        _ack = BuildInDialog("ACK"u8, _cseq, NewBranch());
        _flow.Send(_ack);
        _ringTimer?.Dispose();
        _cancelTimer?.Dispose();
        _stage = CallStage.Answered;

        // A 200 OK is a person until machine detection arrives with the media bridge.
        _gateway.Publish(new CallAnswered(Id, CorrelationId, _gateway.Now, AnsweredBy.Human));
        if (SdpAnswer.TryParse(response.Body, out var answer))
        {
            _rtp.SendTo(answer!);
            _gateway.Pacer.Add(_rtp);
        }

        if (_cancelCause.IsSet && !_cancelCause.RingTimeout)
        {
            // The answer raced our release: the call exists now and is ended with a BYE (RFC 3261 section 15).
            SendBye();
            End(new CallHungUp(Id, CorrelationId, _gateway.Now, _cancelCause.By));
        }
    }

    private void OnFinalFailure(SipMessage response)
    {
        var status = response.StatusCode;
        if (status is 401 or 407 && TryAuthenticate(response))
        {
            return;
        }

        var reason = Encoding.UTF8.GetString(response.ReasonPhrase);
        End(FinalResponses.Map(status, reason, _cancelCause, Id, CorrelationId, _gateway.Now));
    }

    /// <summary>One retry with credentials (RFC 3261 section 22.2); a second challenge fails the call.</summary>
    private bool TryAuthenticate(SipMessage challengeResponse)
    {
        if (_authTried || _gateway.Credentials is not { } credentials || _cancelCause.IsSet)
        {
            return false;
        }

        var header = challengeResponse.StatusCode == 401 ? SipHeader.WwwAuthenticate : SipHeader.ProxyAuthenticate;
        DigestChallenge? chosen = null;
        for (var i = 0; i < challengeResponse.HeaderCount; i++)
        {
            if (challengeResponse.NameAt(i) == header
                && DigestChallenge.TryParse(challengeResponse.ValueAt(i), out var challenge)
                && credentials.Answers(challenge!)
                && DigestChallenge.Stronger(challenge!, chosen))
            {
                chosen = challenge;
            }
        }

        if (chosen is null)
        {
            return false;
        }

        _authTried = true;
        _cseq++;
        var value = credentials.Authorize(chosen, "INVITE", _requestUri, _gateway.NewCnonce());
        SendInvite((challengeResponse.StatusCode == 401 ? "Authorization" : "Proxy-Authorization", value));
        return true;
    }

    private void OnRingTimeout()
    {
        lock (Gate)
        {
            // A timer may fire a millisecond early by the clock that stamps the events; the legal minimum ring
            // (47 CFR 64.1200(a)(6)) is counted on that clock, so wait out the rest.
            var left = _ringTimeout - (_gateway.Now - _ringingAt);
            if (left > TimeSpan.Zero)
            {
                _ringTimer?.Change(left + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
                return;
            }

            if (_stage == CallStage.Ringing && !_cancelCause.IsSet)
            {
                _cancelCause = CancelCause.NoAnswer;
                SendCancel();
            }
        }
    }

    private void OnCancelUnanswered()
    {
        lock (Gate)
        {
            if (_stage is CallStage.Dialing or CallStage.Ringing)
            {
                // RFC 3261 section 9.1: 64·T1 after the CANCEL with no final response, the INVITE is considered cancelled.
                _invite?.Abandon();
                End(FinalResponses.Cancelled(_cancelCause, Id, CorrelationId, _gateway.Now));
            }
        }
    }

    private void SendInvite((string Name, string Value)? authorization)
    {
        var branch = NewBranch();
        _invite = new InviteClientTransaction(this, _flow, BuildInvite(_flow.Protocol, branch, authorization), branch, _gateway.Time, _gateway.Counters);
        _invite.Start();
    }

    private byte[] BuildInvite(string protocol, string branch, (string Name, string Value)? authorization)
    {
        var invite = SipWriter.Rent();
        invite.Append("INVITE "u8).Append(_requestUri).Append(" SIP/2.0\r\n"u8);
        _gateway.WriteVia(invite, protocol, branch);
        invite.Append("Max-Forwards: 70\r\nFrom: "u8).Append(_from).Append("\r\nTo: "u8).Append(_to)
            .Append("\r\nCall-ID: "u8).Append(Id.Value).Append("\r\nCSeq: "u8).Append(_cseq).Append(" INVITE\r\n"u8);
        _gateway.WriteContact(invite, protocol);
        if (authorization is { } auth)
        {
            invite.Header(Encoding.ASCII.GetBytes(auth.Name), auth.Value);
        }

        // Caller id for the trunk: From carries it too, but carriers read P-Asserted-Identity (RFC 3325) first.
        invite.Append("P-Asserted-Identity: <sip:"u8).Append(_callerId).Append("@"u8).Append(_gateway.Options.Trunk.ToString()).Append(">\r\n"u8)
            .Append("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nUser-Agent: DialerCluster\r\n"u8)
            .Body("application/sdp"u8, _offer);
        return invite.ToArray();
    }

    /// <summary>RFC 3261 section 9.1: the CANCEL copies the INVITE's Request-URI, top Via (its branch too), From, To, Call-ID, CSeq number.</summary>
    private void SendCancel()
    {
        if (_cancelSent || _invite is not { HasFinalResponse: false } invite)
        {
            return;
        }

        _cancelSent = true;
        _ringTimer?.Dispose();
        var cancel = SipWriter.Rent();
        cancel.Append("CANCEL "u8).Append(_requestUri).Append(" SIP/2.0\r\n"u8);
        _gateway.WriteVia(cancel, _flow.Protocol, invite.Branch);
        cancel.Append("Max-Forwards: 70\r\nFrom: "u8).Append(_from).Append("\r\nTo: "u8).Append(_to)
            .Append("\r\nCall-ID: "u8).Append(Id.Value).Append("\r\nCSeq: "u8).Append(_cseq).Append(" CANCEL\r\n"u8)
            .Body([], []);
        _cancel = new NonInviteClientTransaction(this, _flow, cancel.ToArray(), invite.Branch, SipMethod.Cancel, _gateway.Time, _gateway.Counters);
        _cancel.Start();
        _cancelTimer = _gateway.Time.CreateTimer(static state => ((SipCall)state!).OnCancelUnanswered(), this, SipTimers.TransactionTimeout, Timeout.InfiniteTimeSpan);
    }

    private void SendBye()
    {
        _cseq++;
        var branch = NewBranch();
        _bye = new NonInviteClientTransaction(this, _flow, BuildInDialog("BYE"u8, _cseq, branch), branch, SipMethod.Bye, _gateway.Time, _gateway.Counters);
        _bye.Start();
    }

    /// <summary>ACK of the 2xx and BYE: to the remote target, with the route set, the dialog's tags (RFC 3261 section 12.2.1.1).</summary>
    private byte[] BuildInDialog(ReadOnlySpan<byte> method, int cseq, string branch)
    {
        var request = SipWriter.Rent();
        request.Append(method).Append((byte)' ').Append(_remoteTarget ?? _requestUri).Append(" SIP/2.0\r\n"u8);
        _gateway.WriteVia(request, _flow.Protocol, branch);
        foreach (var route in _routeSet)
        {
            request.Append("Route: "u8).Append(route).CrLf();
        }

        request.Append("Max-Forwards: 70\r\nFrom: "u8).Append(_from).Append("\r\nTo: "u8).Append(_to).Append(";tag="u8).Append(_remoteTag!)
            .Append("\r\nCall-ID: "u8).Append(Id.Value).Append("\r\nCSeq: "u8).Append(cseq).Append((byte)' ').Append(method).CrLf();
        return request.Body([], []).ToArray();
    }

    private string NewBranch() => _gateway.NewBranch();

    private void End(CallEvent final)
    {
        if (_stage == CallStage.Ended)
        {
            return;
        }

        _stage = CallStage.Ended;
        _ringTimer?.Dispose();
        _cancelTimer?.Dispose();
        _gateway.Pacer.Remove(_rtp);
        _gateway.Publish(final);
        _gateway.Ended(this);
    }

    /// <summary>The Contact's URI: where in-dialog requests go (the trunk stays the next hop, as an outbound proxy).</summary>
    private string? RemoteTarget(SipMessage response) =>
        response.TryGet(SipHeader.Contact, out var contact) && SipSyntax.TryGetUri(SipSyntax.FirstListElement(contact), out var uri)
            ? Encoding.UTF8.GetString(uri)
            : null;

    /// <summary>The Record-Route URIs in reverse order (RFC 3261 section 12.1.2), each as a name-addr for a Route header.</summary>
    private static string[] RouteSet(SipMessage response)
    {
        List<string>? routes = null;
        for (var i = 0; i < response.HeaderCount; i++)
        {
            if (response.NameAt(i) != SipHeader.RecordRoute)
            {
                continue;
            }

            var value = response.ValueAt(i);
            while (!value.IsEmpty)
            {
                var comma = SipSyntax.NextComma(value);
                var element = SipSyntax.Trim(value[..comma]);
                if (!element.IsEmpty)
                {
                    (routes ??= []).Add(Encoding.UTF8.GetString(element));
                }

                value = comma < value.Length ? value[(comma + 1)..] : [];
            }
        }

        if (routes is null)
        {
            return [];
        }

        routes.Reverse();
        return [.. routes];
    }
}
