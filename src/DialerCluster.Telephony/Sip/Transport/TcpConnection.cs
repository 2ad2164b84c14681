using System.Buffers;
using System.Net;
using System.Net.Sockets;
using DialerCluster.Telephony.Sip.Messages;

namespace DialerCluster.Telephony.Sip.Transport;

/// <summary>
/// One TCP connection (to the trunk, or accepted from it): messages framed by Content-Length (RFC 3261 section 18.3),
/// CR LF keep-alives skipped. A frame that cannot be parsed loses the framing, so the connection is closed.
/// </summary>
internal sealed class TcpConnection : SipFlow, IDisposable
{
    private readonly Socket _socket;
    private readonly SipTransportCounters _counters;
    private readonly Lock _sendGate = new();
    private readonly EndPoint _remote;
    private int _closed;

    public TcpConnection(Socket socket, SipTransportCounters counters)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _counters = counters;
        _remote = socket.RemoteEndPoint!;
    }

    public override bool IsReliable => true;

    public override EndPoint Remote => _remote;

    public override string Protocol => "TCP";

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        try
        {
            lock (_sendGate)
            {
                while (!message.IsEmpty)
                {
                    var sent = _socket.Send(message, SocketFlags.None);
                    message = message[sent..];
                }
            }

            _counters.Sent();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _counters.SendFailed();
            Dispose();
            return false;
        }
    }

    /// <summary>Reads frames until the peer closes or <paramref name="cancellationToken"/> fires; each frame is handled in place.</summary>
    public async Task ReadAsync(Action<ReadOnlyMemory<byte>, SipMessage, SipFlow> dispatch, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SipMessage.MaxLength + 1);
        var message = new SipMessage();
        var filled = 0;
        try
        {
            while (IsOpen && !cancellationToken.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                var consumed = Frame(buffer.AsMemory(0, filled), message, dispatch);
                if (consumed < 0)
                {
                    break;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    // A head longer than any allowed message: no framing can be recovered.
                    _counters.MalformedOne();
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended; transactions on it see a transport error on their next send.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already reset by the peer.
            }

            _socket.Dispose();
        }
    }

    /// <summary>Handles every complete frame in <paramref name="data"/>; returns the bytes consumed, or -1 when framing is lost.</summary>
    private int Frame(ReadOnlyMemory<byte> data, SipMessage message, Action<ReadOnlyMemory<byte>, SipMessage, SipFlow> dispatch)
    {
        var consumed = 0;
        while (true)
        {
            var rest = data.Span[consumed..];
            var crlf = 0;
            while (crlf + 1 < rest.Length && rest[crlf] == '\r' && rest[crlf + 1] == '\n')
            {
                crlf += 2;
            }

            consumed += crlf;
            rest = rest[crlf..];
            var head = SipMessage.HeadLength(rest);
            if (head < 0)
            {
                return rest.Length > SipMessage.MaxLength ? -1 : consumed;
            }

            var length = SipMessage.ContentLengthOf(rest[..head]);
            if (length < 0 || head + length > SipMessage.MaxLength)
            {
                _counters.MalformedOne();
                return -1;
            }

            if (rest.Length < head + length)
            {
                return consumed;
            }

            var frame = data.Slice(consumed, head + length);
            consumed += head + length;
            dispatch(frame, message, this);
        }
    }
}
