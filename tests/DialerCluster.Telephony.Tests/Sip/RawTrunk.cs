using System.Net;
using System.Net.Sockets;
using System.Text;
using DialerCluster.Telephony.Sip.Messages;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>
/// A trunk played by the test itself on a loopback UDP socket, for the timer rules: it sees exactly what the gateway
/// sends and when (the gateway runs on a virtual clock, and a send completes before the clock's advance returns), and
/// it answers with hand-written responses.
/// </summary>
internal sealed class RawTrunk : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[65_536];
    private EndPoint _gateway = new IPEndPoint(IPAddress.Loopback, 0);

    public RawTrunk()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveTimeout = 10_000;
    }

    public string Address => _socket.LocalEndPoint!.ToString()!;

    /// <summary>The next message the gateway sent (waiting up to 10 s), as text.</summary>
    public string Receive()
    {
        var length = _socket.ReceiveFrom(_buffer, ref _gateway);
        return Encoding.UTF8.GetString(_buffer, 0, length);
    }

    /// <summary>The next message whose start line begins with <paramref name="startLine"/>, skipping others.</summary>
    public string ReceiveStarting(string startLine)
    {
        while (true)
        {
            var message = Receive();
            if (message.StartsWith(startLine, StringComparison.Ordinal))
            {
                return message;
            }
        }
    }

    /// <summary>Messages already waiting, none blocking: what the gateway has sent so far.</summary>
    public List<string> Pending()
    {
        var messages = new List<string>();
        while (_socket.Available > 0)
        {
            messages.Add(Receive());
        }

        return messages;
    }

    public void Send(string message) => _socket.SendTo(Encoding.UTF8.GetBytes(message), _gateway);

    public void SendBytes(byte[] datagram) => _socket.SendTo(datagram, _gateway);

    /// <summary>A response to <paramref name="request"/>: its Via, From, Call-ID and CSeq, its To with <paramref name="toTag"/>.</summary>
    public static string Respond(string request, int status, string reason, string? toTag = "far-1", string extra = "")
    {
        var lines = request.Split("\r\n");
        string Header(string name) => lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        var to = Header("To") + (toTag is null ? string.Empty : ";tag=" + toTag);
        return $"SIP/2.0 {status} {reason}\r\n{Header("Via")}\r\n{Header("From")}\r\n{to}\r\n{Header("Call-ID")}\r\n{Header("CSeq")}\r\n"
            + $"Contact: <sip:far@127.0.0.1:5099>\r\n{extra}Content-Length: 0\r\n\r\n";
    }

    public void Dispose() => _socket.Dispose();
}
