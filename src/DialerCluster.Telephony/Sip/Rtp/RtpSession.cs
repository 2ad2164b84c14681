using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DialerCluster.Telephony.Sip.Sdp;

namespace DialerCluster.Telephony.Sip.Rtp;

/// <summary>
/// The media of one call, anchored on this node: a UDP socket on the call's port that counts the RTP it receives, and
/// (once the far end said where, in its SDP) sends 20 ms packets of G.711 silence there, paced by <see cref="RtpPacer"/>.
/// Bridging to the agent's phone, recording and machine detection build on this later.
/// </summary>
internal sealed class RtpSession : IDisposable
{
    private const int SamplesPerPacket = 160;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _closing = new();
    private readonly byte[] _packet = new byte[12 + SamplesPerPacket];
    private readonly uint _ssrc = (uint)Random.Shared.Next();
    private SocketAddress? _remote;
    private long _received;
    private long _sent;
    private ushort _sequence = (ushort)Random.Shared.Next();
    private uint _timestamp = (uint)Random.Shared.Next();

    private RtpSession(Socket socket, int port)
    {
        _socket = socket;
        Port = port;
        _ = ReceiveAsync();
    }

    public int Port { get; }

    public long PacketsReceived => Interlocked.Read(ref _received);

    public long PacketsSent => Interlocked.Read(ref _sent);

    /// <summary>Binds a socket on <paramref name="port"/>, or returns null when the port is in use by someone else.</summary>
    public static RtpSession? TryOpen(IPAddress bind, int port)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(bind, port));
            return new RtpSession(socket, port);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Where to send silence and in which G.711 law (payload type 0 µ-law or 8 A-law).</summary>
    public void SendTo(SdpAnswer answer)
    {
        var target = answer.Media;
        if (_socket.AddressFamily == AddressFamily.InterNetworkV6 && target.AddressFamily == AddressFamily.InterNetwork)
        {
            target = new IPEndPoint(target.Address.MapToIPv6(), target.Port);
        }

        if (target.AddressFamily != _socket.AddressFamily)
        {
            return;
        }

        // G.711 silence: µ-law 0xFF, A-law 0xD5 (ITU-T G.711 tables, the code for a zero sample).
        _packet.AsSpan(12).Fill(answer.PayloadType == SdpOffer.Pcma ? (byte)0xD5 : (byte)0xFF);
        _packet[0] = 0x80;
        _packet[1] = (byte)answer.PayloadType;
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), _ssrc);
        Volatile.Write(ref _remote, target.Serialize());
    }

    /// <summary>One 20 ms packet of silence, if the far end's address is known. Called by the pacer only.</summary>
    public void SendSilence()
    {
        var remote = Volatile.Read(ref _remote);
        if (remote is null || _closing.IsCancellationRequested)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _timestamp);
        _timestamp += SamplesPerPacket;
        try
        {
            _socket.SendTo(_packet, SocketFlags.None, remote);
            Interlocked.Increment(ref _sent);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Media is best effort: an ICMP error or a closing socket must not end the call.
        }
    }

    public void Dispose()
    {
        if (!_closing.IsCancellationRequested)
        {
            _closing.Cancel();
            _socket.Dispose();
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1500];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_closing.IsCancellationRequested)
        {
            try
            {
                var length = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _closing.Token);

                // RTP version 2 with at least a fixed header (RFC 3550 section 5.1); anything else is not media.
                if (length >= 12 && (buffer[0] & 0xC0) == 0x80)
                {
                    Interlocked.Increment(ref _received);
                }
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // An ICMP error for our silence: keep listening.
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
