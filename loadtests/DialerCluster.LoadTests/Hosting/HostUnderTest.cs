using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using DialerCluster.LoadTests.Model;
using DialerCluster.LoadTests.Targets;
using DialerCluster.Testing;

namespace DialerCluster.LoadTests.Hosting;

/// <summary>The admin account a suite signs in with to set up campaigns, agents and cases.</summary>
internal sealed record AdminCredentials(string UserName, string Password);

/// <summary>
/// The DialerCluster host the load goes to: either started here (the host's build output as a child process on a
/// free 127.0.0.1 port, a throwaway data folder or PostgreSQL server, demo off, a fresh admin password by
/// environment) or one already running at a loopback URL. Disposing stops and deletes what was started.
/// </summary>
internal sealed class HostUnderTest : IAsyncDisposable
{
    public const string HostAssembly = "DialerCluster.Host.dll";
    private const int StartAttempts = 3;

    private readonly ChildProcess? _process;
    private readonly PostgresServer? _postgres;
    private readonly string? _dataFolder;
    private readonly List<ChildProcess> _otherNodes = [];

    private HostUnderTest(Uri baseUrl, AdminCredentials admin, string description, ChildProcess? process, PostgresServer? postgres, string? dataFolder)
    {
        BaseUrl = baseUrl;
        NodeUrls = [baseUrl];
        Admin = admin;
        Description = description;
        _process = process;
        _postgres = postgres;
        _dataFolder = dataFolder;
    }

    public Uri BaseUrl { get; }

    /// <summary>Every node's HTTP address, <see cref="BaseUrl"/> (the first node, which set up the database) first.</summary>
    public List<Uri> NodeUrls { get; }

    public AdminCredentials Admin { get; }

    /// <summary>What runs where, without secrets: "started here, SQLite file ... (synchronous=Full)".</summary>
    public string Description { get; }

    public bool IsStartedHere => _process is not null;

    /// <summary>False once a host started here has exited (crashed, killed by the OOM killer, ...).</summary>
    public bool IsRunning => (_process is null || !_process.HasExited) && _otherNodes.All(n => !n.HasExited);

    public int? ProcessId => _process?.Id;

    /// <summary>The last lines the started host printed (warnings and errors only: it logs at Warning).</summary>
    public string OutputTail(int lines = 30) =>
        _process is null ? string.Empty : string.Join('\n', _process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    public static HostUnderTest Attach(string? url, string field, AdminCredentials admin)
    {
        var parsed = LoopbackTarget.ParseUrl(url, field);
        var baseUrl = new Uri(parsed.GetLeftPart(UriPartial.Authority) + "/");
        return new HostUnderTest(baseUrl, admin, $"given by URL {baseUrl}", null, null, null);
    }

    /// <summary>The host's build output beside this program (it is a project reference), unless a path is given.</summary>
    public static string LocateHost(string? given, string field)
    {
        var path = string.IsNullOrWhiteSpace(given) ? Path.Combine(AppContext.BaseDirectory, HostAssembly) : Path.GetFullPath(given);
        return File.Exists(path)
            ? path
            : throw new BadInputException(field, $"'{path}' does not exist; build the load tests (they reference the host) or pass the host's DialerCluster.Host.dll");
    }

    /// <summary>
    /// The host on <paramref name="engine"/>; with <paramref name="nodes"/> above 1 (PostgreSQL only), that many nodes of
    /// one Orleans cluster on the one database, each on its own HTTP, silo and gateway ports.
    /// </summary>
    public static async Task<HostUnderTest> StartAsync(
        StorageEngine engine, string hostDll, TimeSpan startupTimeout, TextWriter? log, CancellationToken cancellationToken, int nodes = 1)
    {
        if (nodes > 1 && engine != StorageEngine.Postgres)
        {
            throw new BadInputException("--nodes", "a cluster of several nodes needs PostgreSQL (--engine postgres)");
        }

        PostgresServer? postgres = null;
        string? dataFolder = null;
        try
        {
            var environment = new Dictionary<string, string>(LoopbackPorts.SiloEnvironment())
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DIALER_ADMIN_USER"] = "loadtest-admin",
                ["DIALER_ADMIN_PASSWORD"] = "lt-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
                ["Demo__Enabled"] = "false",
                ["Auth__TokenMinutes"] = "600",

                // Warnings and errors only: per-request logging would load the host with work production does not do.
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            };
            string description;
            if (engine == StorageEngine.Postgres)
            {
                log?.WriteLine("starting a throwaway PostgreSQL server (initdb + pg_ctl, fsync on) ...");
                postgres = await PostgresServer.StartAsync(cancellationToken: cancellationToken);
                var connection = await postgres.CreateDatabaseAsync("loadtest", cancellationToken);
                environment[PostgresServer.ConnectionStringVariable] = connection;
                description = $"started here on PostgreSQL {postgres.MajorVersion} (throwaway server on 127.0.0.1:{postgres.Port}, stock settings, fsync on)";
            }
            else
            {
                dataFolder = Directory.CreateTempSubdirectory("dialer-loadtest-").FullName;
                environment["Storage__DataFolder"] = dataFolder;

                // An inherited connection string would silently switch the "SQLite" run to PostgreSQL.
                environment[PostgresServer.ConnectionStringVariable] = string.Empty;
                environment["Storage__Postgres"] = string.Empty;
                description = "started here on SQLite (a file in a temporary data folder, WAL, synchronous=Full)";
            }

            var admin = new AdminCredentials(environment["DIALER_ADMIN_USER"], environment["DIALER_ADMIN_PASSWORD"]);
            var contentRoot = Path.GetDirectoryName(hostDll)!;
            string lastOutput = string.Empty;
            for (var attempt = 1; attempt <= StartAttempts; attempt++)
            {
                var port = LoopbackPorts.Free();
                var baseUrl = new Uri($"http://127.0.0.1:{port}/");
                var process = ChildProcess.Start(
                    "dotnet",
                    [hostDll, "--urls", baseUrl.ToString().TrimEnd('/'), "--contentRoot", contentRoot],
                    environment,
                    contentRoot);
                try
                {
                    await process.WaitForOutputAsync("Now listening on", startupTimeout, cancellationToken);
                    log?.WriteLine($"host pid {process.Id} listening on {baseUrl} — {description}");
                    var host = new HostUnderTest(baseUrl, admin, nodes > 1 ? $"{description}, node 1 of {nodes}" : description, process, postgres, dataFolder);
                    try
                    {
                        // The first node migrated the database and made the admin; the others join its cluster.
                        for (var node = 2; node <= nodes; node++)
                        {
                            await host.StartNodeAsync(hostDll, environment, startupTimeout, log, cancellationToken);
                        }
                    }
                    catch
                    {
                        await host.DisposeAsync();
                        throw;
                    }

                    return host;
                }
                catch (TimeoutException e)
                {
                    lastOutput = e.Message;
                    await process.DisposeAsync();

                    // Another process took the free port between our check and the host's bind: try a new one.
                    if (!e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                    {
                        break;
                    }
                }
                catch
                {
                    await process.DisposeAsync();
                    throw;
                }
            }

            throw new InvalidOperationException($"The host did not start: {lastOutput}");
        }
        catch
        {
            await DisposeResourcesAsync(postgres, dataFolder);
            throw;
        }
    }

    private async Task StartNodeAsync(
        string hostDll, Dictionary<string, string> firstNode, TimeSpan startupTimeout, TextWriter? log, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(firstNode);
        foreach (var (key, value) in LoopbackPorts.SiloEnvironment())
        {
            environment[key] = value;
        }

        var contentRoot = Path.GetDirectoryName(hostDll)!;
        var baseUrl = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var process = ChildProcess.Start("dotnet", [hostDll, "--urls", baseUrl.ToString().TrimEnd('/'), "--contentRoot", contentRoot], environment, contentRoot);
        _otherNodes.Add(process);
        await process.WaitForOutputAsync("Now listening on", startupTimeout, cancellationToken);
        NodeUrls.Add(baseUrl);
        log?.WriteLine($"node {NodeUrls.Count} pid {process.Id} listening on {baseUrl}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _otherNodes)
        {
            await node.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        await DisposeResourcesAsync(_postgres, _dataFolder);
    }

    private static async Task DisposeResourcesAsync(PostgresServer? postgres, string? dataFolder)
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        if (dataFolder is not null)
        {
            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still closing; it is under the temp folder.
            }
        }
    }
}
