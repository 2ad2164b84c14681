using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Xunit;

namespace DialerCluster.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: initdb + pg_ctl in a fresh temporary directory owned by the
/// <c>postgres</c> user (initdb refuses to run as root), listening on 127.0.0.1 only, on a free port, with
/// fsync on because the tests check crash safety. Use it as an xunit class or collection fixture
/// (<see cref="IAsyncLifetime"/>) or through <see cref="StartAsync"/>; disposing stops the server and
/// deletes the directory. The server is a daemon of its own, so it outlives a host process that a crash
/// test kills; <see cref="EnvironmentFor"/> gives such a child process its connection string.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>The environment variable through which the host picks PostgreSQL over SQLite.</summary>
    public const string ConnectionStringVariable = "DIALER_POSTGRES";

    private const string DirectoryPrefix = "dialer-pg-";
    private const string OwnerFile = "owner.pid";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly PostgresServerOptions _options;
    private int _databaseCounter;
    private string? _directory;
    private PostgresBinaries? _binaries;
    private int _port;

    /// <summary>For xunit fixtures (which allow one public constructor); use <see cref="StartAsync"/> for other settings.</summary>
    public PostgresServer()
        : this(new PostgresServerOptions())
    {
    }

    private PostgresServer(PostgresServerOptions options)
    {
        _options = options;
    }

    /// <summary>The temporary directory holding data/, the socket directory and server.log.</summary>
    public string Directory => _directory ?? throw NotStarted();

    public string DataDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "server.log");

    public int Port => _port != 0 ? _port : throw NotStarted();

    public int MajorVersion => _binaries?.MajorVersion ?? throw NotStarted();

    /// <summary>Connection string to the <c>postgres</c> maintenance database as the superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Starts a server; the caller disposes it.</summary>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer(options ?? new PostgresServerOptions());
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        // A test that kills a host mid-transaction leaves server backends to be reaped; keep pools small.
        MaxPoolSize = 50,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>Creates a fresh, empty database (one per test class, say) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string namePrefix = "test", CancellationToken cancellationToken = default)
    {
        var name = DatabaseName(namePrefix, Interlocked.Increment(ref _databaseCounter));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, disconnecting whoever is still on it.</summary>
    public async Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Environment variables that point a host started as a child process at <paramref name="database"/>.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string database) =>
        new Dictionary<string, string> { [ConnectionStringVariable] = ConnectionStringFor(database) };

    async Task IAsyncLifetime.InitializeAsync() => await StartCoreAsync(CancellationToken.None);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        var directory = Interlocked.Exchange(ref _directory, null);
        if (directory is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (_binaries is not null)
        {
            await StopServerAsync(_binaries, Path.Combine(directory, "data"));
        }

        TryDelete(directory);
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (_directory is not null)
        {
            throw new InvalidOperationException("This PostgreSQL server is already started.");
        }

        _binaries = await PostgresBinaries.FindOrInstallAsync(cancellationToken);
        await ReapOrphansAsync(_binaries);

        var directory = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "sock"));
        await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        _directory = directory;
        if (Environment.IsPrivilegedProcess)
        {
            var chown = await CommandLine.RunAsync("chown", ["-R", "postgres:postgres", directory], TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
            if (!chown.Succeeded)
            {
                throw new InvalidOperationException($"Could not give {directory} to the 'postgres' user (does it exist?): {chown.Output}");
            }
        }

        var stopwatch = Stopwatch.StartNew();
        var initDb = await RunAsServerUserAsync(
            _binaries.InitDb,
            ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-instructions",
             // Only initdb's own files skip fsync; the running server below keeps fsync on.
             "--no-sync"],
            _options.StartupTimeout,
            cancellationToken);
        if (!initDb.Succeeded)
        {
            throw new InvalidOperationException($"initdb failed (exit code {initDb.ExitCode}) in {DataDirectory}:\n{initDb.Output}");
        }

        string lastFailure = "";
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var remaining = _options.StartupTimeout - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            // The port is free now but another process may take it before the server binds: retry on a new one.
            _port = FreeLoopbackPort();
            await WriteSettingsAsync(cancellationToken);
            var start = await RunAsServerUserAsync(
                _binaries.PgCtl,
                ["-D", DataDirectory, "-l", LogFile, "-w", "-t", ((int)Math.Ceiling(remaining.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "start"],
                remaining + TimeSpan.FromSeconds(5),
                cancellationToken);
            if (start.Succeeded && await CanConnectAsync(cancellationToken))
            {
                return;
            }

            lastFailure = $"pg_ctl start (attempt {attempt}, port {_port}) exit code {start.ExitCode}:\n{start.Output}";
            var log = ReadLog();
            if (!log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                && !log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            await StopServerAsync(_binaries, DataDirectory);
        }

        throw new InvalidOperationException(
            $"PostgreSQL {_binaries.MajorVersion} did not start within {_options.StartupTimeout.TotalSeconds:0} s in {directory}.\n{lastFailure}\nServer log:\n{ReadLog()}");
    }

    private async Task WriteSettingsAsync(CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["port"] = _port.ToString(CultureInfo.InvariantCulture),
            ["unix_socket_directories"] = $"'{Path.Combine(Directory, "sock")}'",
            ["max_connections"] = _options.MaxConnections.ToString(CultureInfo.InvariantCulture),
            // Crash-safety tests are meaningless without durable commits.
            ["fsync"] = "on",
            ["synchronous_commit"] = "on",
            ["full_page_writes"] = "on",
            ["logging_collector"] = "off",
        };
        foreach (var (name, value) in _options.Settings)
        {
            settings[name] = value;
        }

        // postgresql.auto.conf is read last, so these override initdb's defaults; rewriting it keeps retries clean.
        var text = new StringBuilder();
        foreach (var (name, value) in settings)
        {
            text.Append(name).Append(" = ").Append(value).Append('\n');
        }

        var file = Path.Combine(DataDirectory, "postgresql.auto.conf");
        await File.WriteAllTextAsync(file, text.ToString(), cancellationToken);
        if (Environment.IsPrivilegedProcess)
        {
            await CommandLine.RunAsync("chown", ["postgres:postgres", file], TimeSpan.FromSeconds(10), cancellationToken: cancellationToken);
        }
    }

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private string ReadLog()
    {
        try
        {
            return _directory is not null && File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";
        }
        catch (IOException ex)
        {
            return $"(server log unreadable: {ex.Message})";
        }
    }

    private static async Task StopServerAsync(PostgresBinaries binaries, string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        foreach (var mode in new[] { "fast", "immediate" })
        {
            try
            {
                var stop = await RunAsServerUserAsync(
                    binaries.PgCtl, ["-D", dataDirectory, "-m", mode, "-w", "-t", "20", "stop"], StopTimeout, CancellationToken.None);
                if (stop.Succeeded || !File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
                {
                    return;
                }
            }
            catch (TimeoutException)
            {
                // Fall through to the harsher mode.
            }
        }
    }

    /// <summary>
    /// A test run that was killed leaves its server running; stop and delete every server whose owning
    /// test process is gone so that runs do not pile up daemons on a CI machine.
    /// </summary>
    private static async Task ReapOrphansAsync(PostgresBinaries binaries)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = System.IO.Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*").ToList();
        }
        catch (IOException)
        {
            return;
        }

        foreach (var candidate in candidates)
        {
            var ownerFile = Path.Combine(candidate, OwnerFile);
            if (!File.Exists(ownerFile)
                || !int.TryParse(await File.ReadAllTextAsync(ownerFile), CultureInfo.InvariantCulture, out var owner)
                || IsAlive(owner))
            {
                continue;
            }

            await StopServerAsync(binaries, Path.Combine(candidate, "data"));
            TryDelete(candidate);
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static Task<CommandResult> RunAsServerUserAsync(string program, string[] arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The working directory must be readable by the postgres user, or pg_ctl cannot resolve paths.
        var workingDirectory = Path.GetTempPath();
        return Environment.IsPrivilegedProcess
            ? CommandLine.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], timeout, workingDirectory, cancellationToken: cancellationToken)
            : CommandLine.RunAsync(program, arguments, timeout, workingDirectory, cancellationToken: cancellationToken);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string DatabaseName(string prefix, int counter)
    {
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = "db_" + clean;
        }

        var suffix = "_" + counter.ToString(CultureInfo.InvariantCulture);
        return (clean.Length + suffix.Length > 63 ? clean[..(63 - suffix.Length)] : clean) + suffix;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless; the orphan reaper retries on the next run.
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("The PostgreSQL server is not started: use it as an xunit fixture or call PostgresServer.StartAsync.");
}
