using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DialerCluster.LoadTests.Targets;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 answering every request with a fixed 200 "ok", keep-alive and pipelining
/// included, so the harness can be exercised without the product host. Not a web server: it reads request heads,
/// skips Content-Length bodies and nothing more.
/// </summary>
internal sealed class SelfTestListener : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private static readonly byte[] Response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _requests;

    private SelfTestListener()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 1024);
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseUrl { get; }

    public long Requests => Volatile.Read(ref _requests);

    public static SelfTestListener Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        client.NoDelay = true;
        var stream = client.GetStream();
        var buffer = new byte[MaxHeadBytes];
        var filled = 0;
        long bodyLeft = 0;
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var consumed = 0;
                while (true)
                {
                    var skip = (int)Math.Min(bodyLeft, filled - consumed);
                    consumed += skip;
                    bodyLeft -= skip;
                    var end = buffer.AsSpan(consumed, filled - consumed).IndexOf(HeadEnd);
                    if (bodyLeft > 0 || end < 0)
                    {
                        break;
                    }

                    bodyLeft = ContentLength(buffer.AsSpan(consumed, end));
                    consumed += end + HeadEnd.Length;
                    Interlocked.Increment(ref _requests);
                    await stream.WriteAsync(Response, _stop.Token);
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    private static long ContentLength(ReadOnlySpan<byte> head)
    {
        var name = "content-length:"u8;
        while (true)
        {
            var lineEnd = head.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? head : head[..lineEnd];
            if (line.Length > name.Length && Ascii.EqualsIgnoreCase(line[..name.Length], name)
                && Utf8Parser.TryParse(line[name.Length..].Trim((byte)' '), out long length, out _))
            {
                return Math.Max(0, length);
            }

            if (lineEnd < 0)
            {
                return 0;
            }

            head = head[(lineEnd + 2)..];
        }
    }
}
