using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DialerCluster.Host.Tests.Support;

internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>
/// Debian's prometheus package (prometheus + promtool) for the metrics and dashboard tests. A fresh machine
/// may lack it: it is installed once with apt-get, bounded in time, and a test fails with the reason if that
/// is impossible (never skipped: a green run must mean the exposition was really checked).
/// </summary>
internal static class PrometheusTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool _installed;

    public static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (_installed || (OnPath("promtool") && OnPath("prometheus")))
            {
                _installed = true;
                return;
            }

            var install = await RunAsync(
                "/bin/sh",
                ["-c", "apt-get install -y -q prometheus || (apt-get update -q && apt-get install -y -q prometheus)"],
                stdin: null,
                TimeSpan.FromMinutes(5),
                environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            if (install.ExitCode != 0 || !OnPath("promtool") || !OnPath("prometheus"))
            {
                throw new InvalidOperationException(
                    "promtool/prometheus are missing and 'apt-get install -y prometheus' failed (run as root or install the Debian package 'prometheus'):\n"
                    + install.Output);
            }

            _installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static async Task<ToolResult> PromtoolAsync(IReadOnlyList<string> arguments, string? stdin = null)
    {
        await EnsureInstalledAsync();
        return await RunAsync("promtool", arguments, stdin, TimeSpan.FromMinutes(1));
    }

    public static async Task<ToolResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string? stdin,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var cancel = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancel.Token);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DialerCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No DialerCluster.sln above {AppContext.BaseDirectory}.");
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}

/// <summary>
/// A throwaway Prometheus server on a free loopback port, with its own config and data directory: by default it
/// scrapes nothing and is there to parse and evaluate PromQL; given scrape configs it watches real nodes. Killed and
/// deleted on dispose; it also dies with a bounded lifetime if the test process vanishes (started under 'timeout').
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="scrapeConfigs">YAML list items under scrape_configs (each starting "  - job_name: ..."); none by default.</param>
    public static async Task<PrometheusServer> StartAsync(string? scrapeConfigs = null)
    {
        await PrometheusTools.EnsureInstalledAsync();
        var directory = Directory.CreateTempSubdirectory("dialercluster-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(
            config,
            scrapeConfigs is null
                ? "global:\n  scrape_interval: 1m\nscrape_configs: []\n"
                : "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n" + scrapeConfigs);
        var port = PrometheusTools.FreeLoopbackPort();
        var start = new ProcessStartInfo("timeout")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--signal=KILL", $"{(int)MaxLifetime.TotalSeconds}s", "prometheus",
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start prometheus.");
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, line) => server.Append(line.Data);
        process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test over it would hide the real result.
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync("-/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"prometheus did not become ready at {Address} within 60 s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
