using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Messages;
using DialerCluster.Telephony.Sip.Transport;
using DialerCluster.Testing.Sipp;
using Xunit.Abstractions;

namespace DialerCluster.Telephony.Tests.Sip;

/// <summary>
/// 100,000 generated and mutated SIP messages, seeded, into the parser and into the gateway's transaction layer
/// (responses and requests aimed at real calls in flight: right Call-IDs, branches and tags, then bytes flipped,
/// inserted, deleted, lines doubled, numbers blown up): nothing may throw, no handler may fault, memory stays flat.
/// </summary>
public sealed class SipFuzzTests(ITestOutputHelper output)
{
    private const int Messages = 100_000;
    private const int Seed = 20261206;

    [Fact(Timeout = 600_000)]
    public async Task A_hundred_thousand_generated_and_mutated_messages_crash_nothing_and_leave_memory_flat()
    {
        // The gateway sends ACKs, BYEs and silence only to loopback: its trunk is this sink, its sockets are bound to 127.0.0.1.
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sink.ReceiveTimeout = 5000;
        var (first, last) = FreePorts.TakeRange(IPAddress.Loopback, 400);
        await using var gateway = new SipGateway(
            new SipOptions
            {
                Trunk = new SipHostPort("127.0.0.1", ((IPEndPoint)sink.LocalEndPoint!).Port),
                Bind = new IPEndPoint(IPAddress.Loopback, 0),
                RtpFirstPort = first,
                RtpLastPort = last,
                MaxCallsPerSecond = 100_000,
                OptionsInterval = Timeout.InfiniteTimeSpan,
                User = "fuzz",
                Password = "fuzz-secret",
            },
            TimeProvider.System);
        await gateway.StartAsync(CancellationToken.None);
        var recorder = new CallRecorder();
        using var subscription = gateway.Subscribe(recorder);
        var random = new Random(Seed);
        var calls = new List<CallFacts>();
        var parser = new SipMessage();
        var mutated = 0;
        var parsedClean = 0;
        long heapBefore = 0;
        var started = DateTime.UtcNow;

        for (var i = 0; i < Messages; i++)
        {
            if (i % 500 == 0)
            {
                Drain(sink);
                calls.Add(await OriginateAsync(gateway, sink, i));
                if (calls.Count > 20)
                {
                    calls.RemoveAt(0);
                }
            }

            if (i == Messages / 10)
            {
                // Measured after a warm-up, so JIT, pools and the first calls' state are in both figures.
                heapBefore = HeapAfterFullCollection();
            }

            var message = Generate(random, calls[random.Next(calls.Count)]);
            if (random.Next(5) != 0)
            {
                message = Mutate(random, message);
                mutated++;
            }

            if (parser.TryParse(message) == SipParseError.None)
            {
                parsedClean++;
            }

            gateway.ReceiveFromTrunk(message);
        }

        var elapsed = DateTime.UtcNow - started;
        var heapAfter = HeapAfterFullCollection();
        var statistics = gateway.Statistics;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Messages:N0} messages ({mutated:N0} mutated, {parsedClean:N0} parsed as SIP) in {elapsed.TotalSeconds:0.0} s; {statistics}; managed heap {heapBefore:N0} bytes after warm-up, {heapAfter:N0} bytes at the end"));

        Assert.Equal(0, statistics.HandlerFaults);
        Assert.Equal(Messages, statistics.MessagesReceived);
        Assert.True(statistics.MalformedDropped > Messages / 10, $"only {statistics.MalformedDropped} malformed: the mutator is not reaching the parser's refusals");
        Assert.True(parsedClean > Messages / 5, $"only {parsedClean} parsed: the generator is not reaching the transaction layer");
        Assert.Empty(recorder.IllegalTransitions);
        Assert.True(heapAfter - heapBefore < 32 * 1024 * 1024, $"managed heap grew from {heapBefore:N0} to {heapAfter:N0} bytes");
    }

    private static async Task<CallFacts> OriginateAsync(SipGateway gateway, Socket sink, int n)
    {
        var id = await gateway.OriginateAsync(
            new OriginateRequest("+1555" + (n % 10_000_000).ToString("D7", CultureInfo.InvariantCulture), "+15550100000", TimeSpan.FromSeconds(30), "fuzz-" + n), CancellationToken.None);
        var buffer = new byte[65_536];
        var message = new SipMessage();
        while (true)
        {
            var length = sink.Receive(buffer);
            if (message.TryParse(buffer.AsMemory(0, length)) == SipParseError.None && message.IsRequest && message.Method == SipMethod.Invite
                && Encoding.ASCII.GetString(message.CallId) == id.Value)
            {
                return new CallFacts(id.Value, Encoding.ASCII.GetString(message.Branch), Encoding.ASCII.GetString(message.FromTag), Encoding.ASCII.GetString(message.TopVia));
            }
        }
    }

    /// <summary>The managed heap after a full, compacting collection (GC.GetTotalMemory read negative on this runtime).</summary>
    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }

    private static void Drain(Socket sink)
    {
        var buffer = new byte[65_536];
        while (sink.Available > 0)
        {
            sink.Receive(buffer);
        }
    }

    private static byte[] Generate(Random random, CallFacts call)
    {
        var remoteTag = "far" + random.Next(3).ToString(CultureInfo.InvariantCulture);
        var branch = random.Next(4) == 0 ? "z9hG4bK" + random.Next() : call.Branch;
        var via = random.Next(4) == 0 ? $"SIP/2.0/UDP 127.0.0.1:5060;branch={branch}" : call.Via.Replace(call.Branch, branch, StringComparison.Ordinal);
        var text = random.Next(12) switch
        {
            < 6 => Response(random, call, via, remoteTag),
            6 => Request(random, "BYE", call, $"SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKbye{random.Next()}", remoteTag),
            7 => Request(random, "OPTIONS", call, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKo" + random.Next(), remoteTag),
            8 => Request(random, random.Next(2) == 0 ? "CANCEL" : "INVITE", call, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKc" + random.Next(), remoteTag),
            9 => Request(random, random.Next(2) == 0 ? "ACK" : "REFER", call, "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKa" + random.Next(), remoteTag),
            10 => "\r\n\r\n",
            _ => RandomBytes(random),
        };
        return Encoding.UTF8.GetBytes(text);
    }

    private static string Response(Random random, CallFacts call, string via, string remoteTag)
    {
        int[] statuses = [100, 180, 183, 200, 200, 401, 407, 486, 487, 404, 503, 603, 302, 408, 480, 600];
        var status = statuses[random.Next(statuses.Length)];
        var method = random.Next(6) switch { 0 => "CANCEL", 1 => "BYE", _ => "INVITE" };
        var cseq = random.Next(5) == 0 ? random.Next(1, 4) : 1;
        var sdp = status is 183 or 200 && random.Next(3) != 0
            ? "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + random.Next(1024, 65535) + " RTP/AVP " + (random.Next(2) == 0 ? "0" : "8 101") + "\r\n"
            : string.Empty;
        var extra = new StringBuilder();
        if (status is 401 or 407)
        {
            extra.Append(status == 401 ? "WWW-Authenticate: " : "Proxy-Authenticate: ")
                .Append("Digest realm=\"fuzz\", nonce=\"n").Append(random.Next()).Append("\", algorithm=")
                .Append(random.Next(3) switch { 0 => "MD5", 1 => "SHA-256", _ => "SHA-512-256" }).Append(", qop=\"auth\"\r\n");
        }

        if (random.Next(3) == 0)
        {
            extra.Append("Record-Route: <sip:proxy1.invalid;lr>, <sip:proxy2.invalid;lr>\r\n");
        }

        var toTag = status == 100 && random.Next(2) == 0 ? string.Empty : ";tag=" + remoteTag;
        return $"SIP/2.0 {status} Reason\r\nVia: {via}\r\nFrom: <sip:+15550100000@127.0.0.1>;tag={call.FromTag}\r\nTo: <sip:+15551234567@127.0.0.1>{toTag}\r\n"
            + $"Call-ID: {call.CallId}\r\nCSeq: {cseq} {method}\r\nContact: <sip:far@127.0.0.1:5060>\r\n{extra}"
            + (sdp.Length > 0 ? "Content-Type: application/sdp\r\n" : string.Empty) + $"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n{sdp}";
    }

    private static string Request(Random random, string method, CallFacts call, string via, string remoteTag)
    {
        var callId = random.Next(4) == 0 ? "unknown-" + random.Next() : call.CallId;
        return $"{method} sip:dialer@127.0.0.1 SIP/2.0\r\nVia: {via}\r\nMax-Forwards: 70\r\nFrom: <sip:+15551234567@127.0.0.1>;tag={remoteTag}\r\n"
            + $"To: <sip:+15550100000@127.0.0.1>;tag={call.FromTag}\r\nCall-ID: {callId}\r\nCSeq: {random.Next(1, 100)} {method}\r\nContent-Length: 0\r\n\r\n";
    }

    private static string RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        return Encoding.Latin1.GetString(bytes);
    }

    private static byte[] Mutate(Random random, byte[] message)
    {
        var bytes = new List<byte>(message);
        var rounds = random.Next(1, 6);
        for (var round = 0; round < rounds; round++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(10))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(3) switch { 0 => "99999999999", 1 => "-1", _ => "4294967296" }));
                    break;
                case 5:
                    bytes.InsertRange(at, "\r\n "u8.ToArray());
                    break;
                case 6:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(4) switch { 0 => "\r\nVia: SIP/2.0/UDP x;branch=", 1 => "\r\nContent-Length: 5", 2 => "\r\nl: 70000", _ => "\r\nCall-ID: " }));
                    break;
                case 7 when bytes.Count > 0:
                    bytes[at] = random.Next(3) switch { 0 => (byte)'\0', 1 => (byte)'\n', _ => (byte)';' };
                    break;
                case 8:
                    var line = Encoding.Latin1.GetString(bytes.ToArray()).Split("\r\n");
                    var doubled = line[random.Next(line.Length)];
                    bytes.InsertRange(at, Encoding.Latin1.GetBytes("\r\n" + doubled));
                    break;
                default:
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(4) switch { 0 => "<", 1 => "\"", 2 => ",", _ => "=" }));
                    break;
            }
        }

        return [.. bytes];
    }

    private sealed record CallFacts(string CallId, string Branch, string FromTag, string Via);
}
