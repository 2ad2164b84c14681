using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Sip.Auth;
using DialerCluster.Telephony.Sip.Dialogs;
using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Rtp;
using DialerCluster.Telephony.Sip.Transactions;
using DialerCluster.Telephony.Sip.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DialerCluster.Telephony.Sip;

/// <summary>
/// The dialer's SIP user agent toward the carrier trunk (RFC 3261 UAC), behind <see cref="ITelephonyGateway"/>: one
/// SIP socket per node, a token bucket of <see cref="SipOptions.MaxCallsPerSecond"/> before every INVITE, an RTP port
/// per call, an OPTIONS ping that tells whether the trunk answers. Events keep the correlation id of the origination.
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> binds the socket, <see cref="StopAsync"/> hangs up what is still up and closes it.
/// Call events are raised on the transport's or a timer's thread with the call's lock held: observers must not block.
/// </remarks>
public sealed class SipGateway : ITelephonyGateway, IAsyncDisposable
{
    /// <summary>How long an ended call is remembered over UDP to answer retransmissions (a 2xx whose ACK was lost, a BYE
    /// whose 200 was): 64·T1 as Timers M and J; over TCP nothing is retransmitted, but a late response still finds it.</summary>
    private static readonly TimeSpan UdpLinger = SipTimers.TransactionTimeout;
    private static readonly TimeSpan TcpLinger = SipTimers.T4;

    private readonly ConcurrentDictionary<string, SipCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SipCall>.AlternateLookup<ReadOnlySpan<char>> _callsBySpan;
    private readonly ILogger _logger;
    private readonly CallRateBucket _bucket;
    private readonly RtpPortPool _ports;
    private readonly string _node = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));
    private readonly Lock _observersGate = new();
    private readonly Lock _fuzzGate = new();
    private readonly SipMessage _fuzzMessage = new();
    private readonly CancellationTokenSource _stopping = new();
    private ICallEventObserver[] _observers = [];
    private SipTransport? _transport;
    private RtpPacer? _pacer;
    private TrunkPing? _ping;
    private Task _pingLoop = Task.CompletedTask;
    private byte[] _viaUdp = [];
    private byte[] _viaTcp = [];
    private byte[] _contact = [];
    private long _sequence;
    private long _originated;
    private long _active;
    private long _stray;
    private int _stopped;
    private SipTrunkStatus _trunkStatus = SipTrunkStatus.NotYetChecked;

    public SipGateway(SipOptions options, TimeProvider time, ILogger<SipGateway>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors.Select(e => $"{e.Setting} {e.Reason}")), errors[0].Setting);
        }

        Options = options;
        Time = time;
        _logger = logger ?? NullLogger<SipGateway>.Instance;
        _callsBySpan = _calls.GetAlternateLookup<ReadOnlySpan<char>>();
        _bucket = new CallRateBucket(options.MaxCallsPerSecond, time);
        _ports = new RtpPortPool(options.RtpFirstPort, options.RtpLastPort);
        Credentials = string.IsNullOrEmpty(options.User) ? null : new DigestCredentials(options.User, options.Password ?? string.Empty, options.Realm);
    }

    public SipOptions Options { get; }

    /// <summary>The bound SIP socket (its real port when configured with port 0).</summary>
    public IPEndPoint LocalEndPoint => Transport.LocalEndPoint;

    /// <summary>The last OPTIONS ping's verdict (read by the host's health check; the ping runs in the background).</summary>
    public SipTrunkStatus TrunkStatus => Volatile.Read(ref _trunkStatus);

    public SipGatewayStatistics Statistics
    {
        get
        {
            var counters = _transport?.Counters ?? new SipTransportCounters();
            return new SipGatewayStatistics(
                Interlocked.Read(ref _originated), Interlocked.Read(ref _active), counters.Received, counters.SentCount,
                counters.Malformed, counters.Retransmissions, counters.HandlerFaults, Interlocked.Read(ref _stray));
        }
    }

    internal TimeProvider Time { get; }

    internal DateTimeOffset Now => Time.GetUtcNow();

    internal DigestCredentials? Credentials { get; }

    internal SipTransportCounters Counters => Transport.Counters;

    internal IPAddress AdvertisedAddress => Transport.AdvertisedAddress;

    internal RtpPacer Pacer => _pacer ?? throw new InvalidOperationException("The SIP gateway is not started.");

    private SipTransport Transport => _transport ?? throw new InvalidOperationException("The SIP gateway is not started.");

    /// <summary>Binds the SIP socket and starts the trunk ping.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var trunk = await Options.Trunk.ResolveAsync(cancellationToken);
        var transport = new SipTransport(Options.Bind, trunk, Options.Transport, OnMessage, _logger);
        transport.Start();
        _transport = transport;
        var host = SipHostPort.UriHostOf(transport.AdvertisedAddress) + ":" + transport.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        _viaUdp = Encoding.ASCII.GetBytes($"Via: SIP/2.0/UDP {host};rport;branch=");
        _viaTcp = Encoding.ASCII.GetBytes($"Via: SIP/2.0/TCP {host};rport;branch=");
        _contact = Encoding.ASCII.GetBytes($"Contact: <sip:dialer@{host}");
        _pacer = new RtpPacer(Time);
        if (Options.OptionsInterval != Timeout.InfiniteTimeSpan)
        {
            _ping = new TrunkPing(this);
            _pingLoop = Task.Run(() => PingTrunkAsync(_stopping.Token), CancellationToken.None);
        }
        _logger.LogInformation("SIP user agent on {Local} toward trunk {Trunk} over {Transport}", transport.LocalEndPoint, Options.Trunk, Options.Transport);
    }

    /// <summary>Hangs up every call still up (CANCEL or BYE), then closes the socket.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_transport is null || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        foreach (var call in _calls.Values)
        {
            call.HangUp(HangUpParty.System);
        }

        await _stopping.CancelAsync();
        try
        {
            await _pingLoop;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        if (_pacer is not null)
        {
            await _pacer.DisposeAsync();
        }

        await _transport.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    public IDisposable Subscribe(ICallEventObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_observersGate)
        {
            _observers = [.. _observers, observer];
        }

        return new Subscription(this, observer);
    }

    /// <summary>Waits for the trunk's token bucket, then sends the INVITE. Returns the SIP Call-ID as the call id.</summary>
    public async ValueTask<CallId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transport = Transport;
        await _bucket.WaitAsync(cancellationToken);
        var rtp = OpenRtp();
        try
        {
            var sequence = Interlocked.Increment(ref _sequence).ToString("x", CultureInfo.InvariantCulture);
            var call = new SipCall(this, rtp, request, $"{_node}-{sequence}", $"{_node}{sequence}");
            var flow = await transport.TrunkFlowAsync(call.InviteLength, cancellationToken);
            _calls[call.Id.Value] = call;
            Interlocked.Increment(ref _originated);
            Interlocked.Increment(ref _active);
            call.Start(flow);
            return call.Id;
        }
        catch
        {
            CloseRtp(rtp);
            throw;
        }
    }

    /// <summary>
    /// Bridging the answered customer to the agent's phone leg is the next step; until then a call that is answered and
    /// still up is reported <see cref="ConnectOutcome.Connected"/> (once), and anything else <see cref="ConnectOutcome.CallGone"/>.
    /// </summary>
    public ValueTask<ConnectOutcome> ConnectToAgentAsync(CallId call, AgentEndpoint agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_calls.TryGetValue(call.Value, out var sip) ? sip.Connect() : ConnectOutcome.CallGone);
    }

    /// <summary>BYE once answered; CANCEL while ringing, ending as hung up (or no answer) on the 487. A call already ended is left alone.</summary>
    public ValueTask HangUpAsync(CallId call, HangUpParty by, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(by))
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "by is not a defined hang-up party.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_calls.TryGetValue(call.Value, out var sip))
        {
            sip.HangUp(by);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The media counters of a call still remembered (up, or ended less than the linger ago).</summary>
    public SipCallMedia? Media(CallId call) => _calls.TryGetValue(call.Value, out var sip) ? sip.Media : null;

    /// <summary>Hands <paramref name="datagram"/> to the transport as if it came from the trunk over UDP: the fuzz tests' way in.</summary>
    internal void ReceiveFromTrunk(ReadOnlyMemory<byte> datagram)
    {
        lock (_fuzzGate)
        {
            Transport.Dispatch(datagram, _fuzzMessage, Transport.UdpTrunk);
        }
    }

    internal void Publish(CallEvent callEvent)
    {
        foreach (var observer in Volatile.Read(ref _observers))
        {
            observer.OnCallEvent(callEvent);
        }
    }

    /// <summary>The call ended: its media closes and its port is free; it is forgotten after the linger.</summary>
    internal void Ended(SipCall call)
    {
        Interlocked.Decrement(ref _active);
        CloseRtp(call.Rtp);
        var linger = Options.Transport == SipTransportKind.Tcp ? TcpLinger : UdpLinger;
        call.Linger = Time.CreateTimer(
            static state =>
            {
                var (gateway, ended) = ((SipGateway, SipCall))state!;
                gateway.Forget(ended);
            },
            (this, call),
            linger,
            Timeout.InfiniteTimeSpan);
    }

    internal void CountStray() => Interlocked.Increment(ref _stray);

    internal string NewBranch() => "z9hG4bK" + _node + Interlocked.Increment(ref _sequence).ToString("x", CultureInfo.InvariantCulture);

    internal string NewCnonce() => Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));

    internal void WriteVia(SipWriter writer, string protocol, string branch) =>
        writer.Append(protocol == "TCP" ? _viaTcp : _viaUdp).Append(branch).CrLf();

    internal void WriteContact(SipWriter writer, string protocol) =>
        writer.Append(_contact).Append(protocol == "TCP" ? ";transport=tcp>\r\n"u8 : ">\r\n"u8);

    /// <summary>Every parsed message from the transport. Requests outside our calls are answered statelessly.</summary>
    internal void OnMessage(SipMessage message, SipFlow source)
    {
        var call = Find(message.CallId);
        if (!message.IsRequest)
        {
            if (call is not null)
            {
                call.OnReceived(message);
            }
            else if (_ping is null || !_ping.TryReceive(message))
            {
                CountStray();
            }

            return;
        }

        switch (message.Method)
        {
            case SipMethod.Ack:
                // We never answer an INVITE with a 2xx, so an ACK has nothing to confirm.
                break;
            case SipMethod.Bye when call is not null:
                call.OnBye(message, source);
                break;
            case SipMethod.Options:
                source.Send(SipResponses.Stateless(message, 200, "OK"u8, _node, "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\nAccept: application/sdp\r\n"u8));
                break;
            case SipMethod.Invite when call is not null:
                // A re-INVITE (session refresh, hold): the media stays as it was; refusing keeps the call up (RFC 3261 section 14.2).
                source.Send(SipResponses.Stateless(message, 488, "Not Acceptable Here"u8, _node));
                break;
            case SipMethod.Invite:
                // An outbound dialer takes no inbound calls.
                source.Send(SipResponses.Stateless(message, 603, "Decline"u8, _node));
                break;
            case SipMethod.Bye or SipMethod.Cancel:
                source.Send(SipResponses.Stateless(message, 481, "Call/Transaction Does Not Exist"u8, _node));
                break;
            default:
                source.Send(SipResponses.Stateless(message, 405, "Method Not Allowed"u8, _node, "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"u8));
                break;
        }
    }

    private SipCall? Find(ReadOnlySpan<byte> callId)
    {
        if (callId.Length > 128)
        {
            return null;
        }

        Span<char> chars = stackalloc char[callId.Length];
        var length = Encoding.Latin1.GetChars(callId, chars);
        return _callsBySpan.TryGetValue(chars[..length], out var call) ? call : null;
    }

    private void Forget(SipCall call)
    {
        _calls.TryRemove(new KeyValuePair<string, SipCall>(call.Id.Value, call));
        call.Linger?.Dispose();
    }

    private RtpSession OpenRtp()
    {
        var bind = Options.Bind.Address.Equals(IPAddress.Any) || Options.Bind.Address.Equals(IPAddress.IPv6Any)
            ? (AdvertisedAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any)
            : Options.Bind.Address;
        for (var tries = 0; tries < _ports.Capacity; tries++)
        {
            if (!_ports.TryTake(out var port))
            {
                break;
            }

            if (RtpSession.TryOpen(bind, port) is { } session)
            {
                return session;
            }

            // Someone else holds this port: leave it out of the rotation for now, try the next.
            _ports.Return(port);
        }

        throw new InvalidOperationException($"No free RTP port in {Options.RtpFirstPort}-{Options.RtpLastPort}: {_ports.Capacity} calls can have media at once.");
    }

    private void CloseRtp(RtpSession rtp)
    {
        _pacer?.Remove(rtp);
        rtp.Dispose();
        _ports.Return(rtp.Port);
    }

    private async Task PingTrunkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var ping = await _ping!.SendAsync(cancellationToken);
                await Task.Delay(Options.OptionsInterval, Time, cancellationToken);
                if (_ping.Unanswered(ping) is { } unreachable)
                {
                    Volatile.Write(ref _trunkStatus, unreachable);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failed round (a DNS or socket error) must not end the pinging, nor fail the host's stop.
                _logger.LogWarning(ex, "Pinging the SIP trunk {Trunk} failed", Options.Trunk);
                Volatile.Write(ref _trunkStatus, new SipTrunkStatus(false, Now, $"pinging the trunk {Options.Trunk} failed: {ex.Message}"));
                await Task.Delay(Options.OptionsInterval, Time, cancellationToken);
            }
        }
    }

    internal void TrunkAnswered(SipTrunkStatus status) => Volatile.Write(ref _trunkStatus, status);

    internal ValueTask<SipFlow> TrunkFlowAsync(int length, CancellationToken cancellationToken) => Transport.TrunkFlowAsync(length, cancellationToken);

    private void Unsubscribe(ICallEventObserver observer)
    {
        lock (_observersGate)
        {
            _observers = Array.FindAll(_observers, o => !ReferenceEquals(o, observer));
        }
    }

    private sealed class Subscription(SipGateway gateway, ICallEventObserver observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gateway.Unsubscribe(observer);
            }
        }
    }
}
