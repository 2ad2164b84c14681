using System.Globalization;
using System.Text;
using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Transactions;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Telephony.Sip;

/// <summary>
/// OPTIONS toward the trunk, one per interval (a keep-alive every carrier answers, RFC 3261 section 11): any final
/// response means the trunk is there (a 404 or 405 from an SBC still proves it alive); none within the interval, or
/// no way to send, means it is not. The verdict feeds the host's health check.
/// </summary>
internal sealed class TrunkPing(SipGateway gateway) : ITransactionUser
{
    private long _sequence;
    private NonInviteClientTransaction? _current;
    private string _callId = string.Empty;
    private string? _sendFailure;
    private bool _answered;

    public Lock Gate { get; } = new();

    /// <summary>Sends the next ping; returns its number for <see cref="Unanswered"/>.</summary>
    public async Task<long> SendAsync(CancellationToken cancellationToken)
    {
        long number;
        SipFlow flow;
        try
        {
            flow = await gateway.TrunkFlowAsync(0, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
        {
            lock (Gate)
            {
                _sendFailure = $"cannot reach the trunk {gateway.Options.Trunk}: {ex.Message}";
                _current = null;
                return ++_sequence;
            }
        }

        lock (Gate)
        {
            _current?.Abandon();
            number = ++_sequence;
            _answered = false;
            _sendFailure = null;
            _callId = "ping-" + gateway.NewBranch();
            var branch = gateway.NewBranch();
            var trunk = gateway.Options.Trunk.ToString();
            var options = SipWriter.Rent();
            options.Append("OPTIONS sip:"u8).Append(trunk).Append(" SIP/2.0\r\n"u8);
            gateway.WriteVia(options, flow.Protocol, branch);
            options.Append("Max-Forwards: 70\r\nFrom: <sip:dialer@"u8).Append(trunk).Append(">;tag="u8).Append(branch[7..])
                .Append("\r\nTo: <sip:"u8).Append(trunk).Append(">\r\nCall-ID: "u8).Append(_callId)
                .Append("\r\nCSeq: "u8).Append(number).Append(" OPTIONS\r\n"u8);
            gateway.WriteContact(options, flow.Protocol);
            options.Append("Accept: application/sdp\r\nUser-Agent: DialerCluster\r\n"u8).Body([], []);
            _current = new NonInviteClientTransaction(this, flow, options.ToArray(), branch, SipMethod.Options, gateway.Time, gateway.Counters);
            _current.Start();
        }

        return number;
    }

    /// <summary>A response to the current ping, if <paramref name="response"/> is one.</summary>
    public bool TryReceive(SipMessage response)
    {
        lock (Gate)
        {
            if (_current is null || !Ascii.Equals(response.CallId, _callId) || !_current.Matches(response))
            {
                return false;
            }

            _current.OnResponse(response);
            return true;
        }
    }

    /// <summary>The unreachable verdict for ping <paramref name="number"/> if it is still unanswered; null if it was answered.</summary>
    public SipTrunkStatus? Unanswered(long number)
    {
        lock (Gate)
        {
            if (number != _sequence || _answered)
            {
                return null;
            }

            var detail = _sendFailure ?? string.Create(
                CultureInfo.InvariantCulture, $"the trunk {gateway.Options.Trunk} did not answer OPTIONS within {gateway.Options.OptionsInterval.TotalSeconds:0.#} s");
            return new SipTrunkStatus(false, gateway.Now, detail);
        }
    }

    public void OnResponse(ClientTransaction transaction, SipMessage response)
    {
        if (response.StatusCode < 200 || transaction != _current)
        {
            return;
        }

        _answered = true;
        var status = FinalStatus(response);
        gateway.TrunkAnswered(new SipTrunkStatus(true, gateway.Now, $"the trunk {gateway.Options.Trunk} answered OPTIONS with {status}"));
    }

    public void OnFailure(ClientTransaction transaction, TransactionFailure failure)
    {
        if (transaction == _current && failure == TransactionFailure.TransportError)
        {
            _sendFailure = $"cannot send to the trunk {gateway.Options.Trunk}";
        }
    }

    public void OnTerminated(ClientTransaction transaction)
    {
    }

    private static string FinalStatus(SipMessage response) =>
        response.StatusCode.ToString(CultureInfo.InvariantCulture) + (response.ReasonPhrase.IsEmpty ? string.Empty : " " + Encoding.UTF8.GetString(response.ReasonPhrase));
}
