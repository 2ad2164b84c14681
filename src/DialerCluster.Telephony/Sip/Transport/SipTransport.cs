using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DialerCluster.Telephony.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Telephony.Sip.Transport;

/// <summary>
/// The node's SIP transport: one UDP socket (IPv4, or dual-stack when bound to [::]), a TCP listener on the same
/// port, and a TCP connection to the trunk when the trunk is configured for TCP or a request is too large for UDP
/// (RFC 3261 section 18.1.1: within 200 bytes of a 1500-byte MTU, i.e. over 1300 bytes). Every received message is
/// parsed in place and handed to the user agent; malformed ones are counted and dropped, never thrown.
/// </summary>
internal sealed class SipTransport : IAsyncDisposable
{
    public const int UdpLimit = 1300;

    private readonly IPEndPoint _bind;
    private readonly IPEndPoint _trunk;
    private readonly SipTransportKind _kind;
    private readonly Action<SipMessage, SipFlow> _onMessage;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpConnection, Task> _connections = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly List<Task> _loops = [];
    private Socket? _udp;
    private Socket? _listener;
    private UdpFlow? _udpTrunk;
    private Thread? _udpReceiver;
    private TcpConnection? _tcpTrunk;

    public SipTransport(IPEndPoint bind, IPEndPoint trunk, SipTransportKind kind, Action<SipMessage, SipFlow> onMessage, ILogger logger)
    {
        _bind = bind;
        _trunk = trunk;
        _kind = kind;
        _onMessage = onMessage;
        _logger = logger;
    }

    public SipTransportCounters Counters { get; } = new();

    /// <summary>Where the UDP socket is bound (the real port when the configured one was 0).</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>The address this node puts in Via, Contact and SDP: the bound one, or the one the OS routes to the trunk from.</summary>
    public IPAddress AdvertisedAddress { get; private set; } = IPAddress.None;

    public void Start()
    {
        var udp = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (_bind.AddressFamily == AddressFamily.InterNetworkV6 && _bind.Address.Equals(IPAddress.IPv6Any))
        {
            udp.DualMode = true;
        }

        udp.ReceiveBufferSize = 4 * 1024 * 1024;
        udp.Bind(_bind);
        _udp = udp;
        LocalEndPoint = (IPEndPoint)udp.LocalEndPoint!;
        AdvertisedAddress = Advertised(_bind.Address, _trunk);
        _udpTrunk = FlowTo(_trunk);
        StartListener();
        // A thread of its own, blocking in the kernel: the SIP hot path must not wait for a thread-pool thread
        // (on a loaded node a starved pool delayed 200 OKs past Timer A, and the trunk saw a retransmitted INVITE).
        _udpReceiver = new Thread(() => ReceiveUdp(udp)) { IsBackground = true, Name = "SIP UDP receive" };
        _udpReceiver.Start();
    }

    /// <summary>The flow for a new request to the trunk of <paramref name="length"/> bytes.</summary>
    public async ValueTask<SipFlow> TrunkFlowAsync(int length, CancellationToken cancellationToken)
    {
        if (_kind == SipTransportKind.Udp && length <= UdpLimit)
        {
            return _udpTrunk ?? throw new InvalidOperationException("The SIP transport is not started.");
        }

        if (_tcpTrunk is { IsOpen: true } open)
        {
            return open;
        }

        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_tcpTrunk is { IsOpen: true } again)
            {
                return again;
            }

            var socket = new Socket(_trunk.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(SameFamily(_bind.Address, _trunk.AddressFamily), 0));
                await socket.ConnectAsync(_trunk, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _tcpTrunk = Track(new TcpConnection(socket, Counters));
            return _tcpTrunk;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>The trunk over UDP (OPTIONS pings and the UDP configuration).</summary>
    public SipFlow UdpTrunk => _udpTrunk ?? throw new InvalidOperationException("The SIP transport is not started.");

    /// <summary>Parses and hands on one received message; also the entry the fuzz tests use. Never throws.</summary>
    public void Dispatch(ReadOnlyMemory<byte> data, SipMessage message, SipFlow source)
    {
        Counters.ReceivedOne();
        var error = message.TryParse(data);
        if (error == SipParseError.KeepAlive)
        {
            return;
        }

        if (error != SipParseError.None)
        {
            Counters.MalformedOne();
            _logger.LogDebug("Dropped a malformed SIP message from {Remote}: {Error}", source.Remote, error);
            return;
        }

        try
        {
            _onMessage(message, source);
        }
        catch (Exception ex)
        {
            Counters.HandlerFault();
            _logger.LogError(ex, "Handling a SIP message from {Remote} failed", source.Remote);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _udp?.Dispose();
        _udpReceiver?.Join(TimeSpan.FromSeconds(5));
        _listener?.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        try
        {
            await Task.WhenAll([.. _loops, .. _connections.Values]);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closing the sockets ends their loops.
        }

        _stopping.Dispose();
        _connectGate.Dispose();
    }

    private UdpFlow FlowTo(IPEndPoint remote)
    {
        var target = _udp!.DualMode && remote.AddressFamily == AddressFamily.InterNetwork ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port) : remote;
        return new UdpFlow(_udp, target.Serialize(), remote, Counters);
    }

    private void StartListener()
    {
        var listener = new Socket(_bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_udp!.DualMode)
            {
                listener.DualMode = true;
            }

            listener.Bind(new IPEndPoint(_bind.Address, LocalEndPoint.Port));
            listener.Listen(64);
        }
        catch (SocketException ex) when (_kind == SipTransportKind.Udp)
        {
            // Over UDP the listener only serves trunks that open TCP toward us; without it, calls still work.
            listener.Dispose();
            _logger.LogWarning(ex, "No SIP TCP listener on port {Port}", LocalEndPoint.Port);
            return;
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _loops.Add(Task.Run(() => AcceptAsync(listener, _stopping.Token)));
    }

    private void ReceiveUdp(Socket udp)
    {
        // One buffer for the node's lifetime: each datagram is parsed and handled in place before the next is received.
        var buffer = new byte[SipMessage.MaxLength + 1];
        var from = new SocketAddress(udp.AddressFamily);
        var message = new SipMessage();
        while (!_stopping.IsCancellationRequested)
        {
            int length;
            try
            {
                length = udp.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier send, or a datagram over 64 KiB: nothing to act on.
                Counters.MalformedOne();
                continue;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                // Closed at stop.
                return;
            }

            var source = from.Equals(_udpTrunk!.Address) ? _udpTrunk : FlowTo((IPEndPoint)_bind.Create(from));
            Dispatch(buffer.AsMemory(0, length), message, source);
        }
    }

    private async Task AcceptAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Track(new TcpConnection(accepted, Counters));
        }
    }

    private TcpConnection Track(TcpConnection connection)
    {
        _connections[connection] = Task.Run(async () =>
        {
            await connection.ReadAsync(Dispatch, _stopping.Token);
            _connections.TryRemove(connection, out _);
        });
        return connection;
    }

    private static IPAddress Advertised(IPAddress bound, IPEndPoint trunk)
    {
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return bound;
        }

        // Ask the routing table which local address reaches the trunk: a connected UDP socket sends nothing.
        using var probe = new Socket(trunk.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(trunk);
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    private static IPAddress SameFamily(IPAddress bound, AddressFamily family) =>
        bound.AddressFamily == family ? bound : family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
}
