using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DialerCluster.Testing.Sipp;

/// <summary>What a SIPp carrier runs: a scenario, over UDP (<c>u1</c>) or TCP (<c>t1</c>), on IPv4 or IPv6 loopback.</summary>
/// <param name="Calls">SIPp exits after this many calls (<c>-m</c>).</param>
/// <param name="RtpEcho">Echo RTP sent to the media port back to its sender (<c>-rtp_echo</c>).</param>
public sealed record SippSettings(string Scenario, int Calls = 1, string Transport = "u1", string Address = "127.0.0.1", bool RtpEcho = false)
{
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Statistics rows every second (-fd 1); the last row is read at the end.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Log every SIP message (off for benchmarks).</summary>
    public bool TraceMessages { get; init; } = true;

    /// <summary>Reaching <see cref="TimeLimit"/> is a failure (<c>-timeout_error</c>); a benchmark ends by it instead.</summary>
    public bool FailOnTimeLimit { get; init; } = true;
}

/// <summary>
/// SIPp as a user agent server (the carrier) on a free loopback port, as a child process in a folder of its own,
/// bounded in time twice over: its own <c>-timeout</c> and a <c>timeout --signal=KILL</c> around it.
/// </summary>
public sealed class SippServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private SippServer(ChildProcess process, string directory, IPEndPoint endPoint, int mediaPort, bool tcp)
    {
        Tcp = tcp;
        _process = process;
        _directory = directory;
        EndPoint = endPoint;
        MediaPort = mediaPort;
    }

    /// <summary>Where SIPp listens: the trunk of the user agent under test.</summary>
    public IPEndPoint EndPoint { get; }

    public int MediaPort { get; }

    /// <summary>SIPp runs over TCP (<c>-t t1</c>).</summary>
    public bool Tcp { get; }

    /// <summary>The trunk setting for this server: <c>127.0.0.1:5070</c> or <c>[::1]:5070</c>.</summary>
    public string Trunk => EndPoint.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{EndPoint.Address}]:{EndPoint.Port}")
        : EndPoint.ToString();

    public static async Task<SippServer> StartAsync(SippSettings settings, CancellationToken cancellationToken = default)
    {
        var sipp = await SippTool.FindOrInstallAsync(cancellationToken);
        var directory = Directory.CreateTempSubdirectory("dialercluster-sipp-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "scenario.xml"), settings.Scenario, cancellationToken);
        var address = IPAddress.Parse(settings.Address);
        var tcp = settings.Transport.StartsWith('t');
        var port = FreePorts.Take(address, tcp);
        var mediaPort = FreePorts.TakeMediaPair(address);
        var seconds = (int)Math.Ceiling(settings.TimeLimit.TotalSeconds);
        List<string> arguments =
        [
            "--signal=KILL", (seconds + 15).ToString(CultureInfo.InvariantCulture), sipp,
            "-sf", "scenario.xml", "-i", settings.Address, "-p", port.ToString(CultureInfo.InvariantCulture), "-t", settings.Transport,
            "-m", settings.Calls.ToString(CultureInfo.InvariantCulture), "-nostdin", "-bind_local",

            // Answers OPTIONS (the trunk ping) outside the scenario, as a carrier does.
            "-aa",
            "-mi", settings.Address, "-mp", mediaPort.ToString(CultureInfo.InvariantCulture),
            "-cp", FreePorts.Take(IPAddress.Loopback, tcp: false).ToString(CultureInfo.InvariantCulture),
            "-trace_stat", "-stf", "stats.csv", "-fd", "1",
            "-trace_err", "-error_file", "errors.log",
            "-timeout", seconds.ToString(CultureInfo.InvariantCulture) + "s",
        ];
        if (settings.FailOnTimeLimit)
        {
            arguments.Add("-timeout_error");
        }

        if (settings.TraceMessages)
        {
            arguments.AddRange(["-trace_msg", "-message_file", "messages.log"]);
        }

        if (settings.RtpEcho)
        {
            arguments.Add("-rtp_echo");
        }

        arguments.AddRange(settings.ExtraArguments);
        var process = ChildProcess.Start("timeout", arguments, workingDirectory: directory);
        var server = new SippServer(process, directory, new IPEndPoint(address, port), mediaPort, tcp);
        try
        {
            await server.WaitUntilListeningAsync(port, tcp, address.AddressFamily == AddressFamily.InterNetworkV6, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits for SIPp to finish its calls (and its time-wait) and reads what it recorded.</summary>
    public async Task<SippResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            await _process.KillHardAsync();
            var killed = await ReadResultAsync();
            throw new TimeoutException($"sipp did not finish within {timeout.TotalSeconds:0} s.\n{killed.Report}");
        }

        return await ReadResultAsync();
    }

    /// <summary>Stops SIPp now (a benchmark's bounded run) and reads what it recorded.</summary>
    public async Task<SippResult> StopAsync()
    {
        await _process.KillHardAsync();
        return await ReadResultAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task<SippResult> ReadResultAsync()
    {
        string Read(string name)
        {
            var path = Path.Combine(_directory, name);
            return File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }

        // SIPp flushes its files as it exits; a moment's grace after a kill.
        await Task.Yield();
        return new SippResult(_process.ExitCode ?? -1, SippStatistics.Parse(Read("stats.csv")), Read("messages.log"), Read("errors.log"), _process.Output);
    }

    private async Task WaitUntilListeningAsync(int port, bool tcp, bool ipv6, CancellationToken cancellationToken)
    {
        var table = $"/proc/net/{(tcp ? "tcp" : "udp")}{(ipv6 ? "6" : string.Empty)}";
        var needle = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"sipp exited with {_process.ExitCode} before listening:\n{_process.Output}");
            }

            // A bound socket shows in the kernel's table: UDP at once, TCP in state 0A (LISTEN).
            foreach (var line in await File.ReadAllLinesAsync(table, cancellationToken))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length > 3 && (columns[1] + " ").EndsWith(needle, StringComparison.Ordinal) && (!tcp || columns[3] == "0A"))
                {
                    return;
                }
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"sipp did not listen on port {port} within 30 s:\n{_process.Output}");
    }
}
