using System.Diagnostics;
using System.Globalization;
using System.Net;
using DialerCluster.SipBenchmark;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Transport;
using DialerCluster.Testing.Sipp;

// Call setups per second of the SIP user agent against a SIPp UAS on loopback: INVITE → 100 → 180 → 200 → ACK → BYE →
// 200, as fast as the closed loop goes for a bounded time. Calls/s, failures and retransmissions come from SIPp's own
// statistics file; CPU is this process's. Usage: dotnet run -c Release --project loadtests/DialerCluster.SipBenchmark
// -- [--seconds 20] [--callers 200] [--transport udp|tcp]
var seconds = Option("--seconds", 20);
var callers = Option("--callers", 200);
var tcp = args.SkipWhile(a => a != "--transport").Skip(1).FirstOrDefault() == "tcp";
if (seconds is < 1 or > 600 || callers is < 1 or > 5000)
{
    Console.Error.WriteLine("--seconds must be 1-600 and --callers 1-5000.");
    return 2;
}

var drive = TimeSpan.FromSeconds(seconds);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIP benchmark: {callers} closed-loop callers for {seconds} s over {(tcp ? "TCP" : "UDP")}, {Environment.ProcessorCount} cores, {LoadAverage()}"));

// SIPp stops itself a little after the drive, so its last statistics row holds every call.
await using var carrier = await SippServer.StartAsync(new SippSettings(CarrierScenarios.AnswerThenWeHangUp(), Calls: 100_000_000, Transport: tcp ? "t1" : "u1")
{
    TimeLimit = drive + TimeSpan.FromSeconds(6),
    TraceMessages = false,
    FailOnTimeLimit = false,

    // On a loaded machine SIPp retransmits its 200 before our ACK arrives; we ACK the retransmission too (RFC 3261
    // 13.2.2.4), and that second ACK reaches SIPp after it moved on. SIPp's default aborts a call on any message it
    // does not expect at that step, which would count correct behaviour as a failed call; this run does not.
    ExtraArguments = ["-default_behaviors", "all,-abortunexp"],
});
var (first, last) = FreePorts.TakeRange(IPAddress.Loopback, Math.Max(200, callers * 4));
SipHostPort.TryParse(carrier.Trunk, out var trunk);
await using var gateway = new SipGateway(
    new SipOptions
    {
        Trunk = trunk!,
        Transport = tcp ? SipTransportKind.Tcp : SipTransportKind.Udp,
        Bind = new IPEndPoint(IPAddress.Loopback, 0),
        RtpFirstPort = first,
        RtpLastPort = last,
        MaxCallsPerSecond = 100_000,
        OptionsInterval = Timeout.InfiniteTimeSpan,
    },
    TimeProvider.System);
await gateway.StartAsync(CancellationToken.None);
var loop = new CallLoop(gateway);
using var subscription = gateway.Subscribe(loop);

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var gcBefore = GC.CollectionCount(0);
var wall = Stopwatch.StartNew();
await loop.RunAsync(callers, drive);
wall.Stop();
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
var loadAfter = LoadAverage();
var ours = gateway.Statistics;
var sipp = await carrier.WaitForExitAsync(drive + TimeSpan.FromSeconds(30));

var rate = sipp.Statistics.Successful / wall.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
    SIPp (its own statistics): {sipp.Statistics.Successful:N0} successful calls, {sipp.Statistics.Failed:N0} failed, {sipp.Statistics.Retransmissions:N0} retransmissions, {sipp.Statistics.Created:N0} created
    call setups/s: {rate:N0} (SIPp's successful calls over our {wall.Elapsed.TotalSeconds:0.0} s drive); goal >= 1,000: {(rate >= 1000 ? "MET" : "NOT MET")}
    ours: {loop.Completed:N0} calls answered and hung up, {loop.Failed:N0} failed; {ours.Retransmissions:N0} retransmissions sent, {ours.MalformedDropped:N0} malformed, {ours.HandlerFaults:N0} handler faults, {ours.MessagesSent:N0} sent / {ours.MessagesReceived:N0} received
    our CPU: {cpu.TotalSeconds:0.0} s over {wall.Elapsed.TotalSeconds:0.0} s = {cpu.TotalSeconds / wall.Elapsed.TotalSeconds:0.00} cores ({cpu.TotalMilliseconds * 1000 / Math.Max(1, loop.Completed):0} µs per call, benchmark driver included); gen0 GCs {GC.CollectionCount(0) - gcBefore:N0}; peak working set {process.PeakWorkingSet64 / 1024.0 / 1024:0} MiB (ended calls are kept 32 s for retransmissions)
    machine {loadAfter} at the end; SIPp exit code {sipp.ExitCode}
    """));
if (sipp.Statistics.Failed > 0)
{
    // SIPp's reasons, as it logged them: the first few say which side and which message.
    Console.WriteLine("first SIPp errors:\n" + string.Join('\n', sipp.Errors.Split('\n').Where(l => l.Contains("Aborting", StringComparison.Ordinal) || l.Contains("call", StringComparison.OrdinalIgnoreCase)).Take(4).Select(l => l.Length > 300 ? l[..300] : l)));
}

return sipp.Statistics.Failed == 0 && loop.Failed == 0 ? 0 : 1;

int Option(string name, int fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;
}

static string LoadAverage()
{
    var parts = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ') : [];
    return parts.Length >= 3 ? $"load average {parts[0]} / {parts[1]} / {parts[2]}" : "load average unknown";
}
