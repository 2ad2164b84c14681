namespace DialerCluster.Testing;

/// <summary>
/// Finds Debian's PostgreSQL server programs (initdb, pg_ctl) under /usr/lib/postgresql/*/bin and,
/// when they are missing, installs the <c>postgresql</c> package with apt-get (as root, bounded in time).
/// A fresh CI machine may not have the package; a developer machine usually does.
/// </summary>
public sealed record PostgresBinaries(string BinDirectory, int MajorVersion)
{
    private const string Root = "/usr/lib/postgresql";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>The newest installed server, or null when none is installed.</summary>
    public static PostgresBinaries? Find()
    {
        if (!Directory.Exists(Root))
        {
            return null;
        }

        return Directory.EnumerateDirectories(Root)
            .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
            .Where(x => x.version > 0
                && File.Exists(Path.Combine(x.dir, "bin", "initdb"))
                && File.Exists(Path.Combine(x.dir, "bin", "pg_ctl")))
            .OrderByDescending(x => x.version)
            .Select(x => new PostgresBinaries(Path.Combine(x.dir, "bin"), x.version))
            .FirstOrDefault();
    }

    /// <summary>Finds the server programs, installing Debian's <c>postgresql</c> package first if needed.</summary>
    public static async Task<PostgresBinaries> FindOrInstallAsync(CancellationToken cancellationToken = default)
    {
        var found = Find();
        if (found is not null)
        {
            return found;
        }

        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            found = Find();
            if (found is not null)
            {
                return found;
            }

            if (!Environment.IsPrivilegedProcess)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL server programs (initdb, pg_ctl) were not found under {Root}/*/bin and this process is not root, "
                    + "so it cannot install them. Install Debian's 'postgresql' package (apt-get install -y postgresql) and rerun.");
            }

            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var install = await AptGetInstallAsync(environment, cancellationToken);
            if (!install.Succeeded)
            {
                // A bare machine may have empty package lists: refresh them once and retry.
                var update = await CommandLine.RunAsync("apt-get", ["update"], InstallTimeout, environment: environment, cancellationToken: cancellationToken);
                install = update.Succeeded
                    ? await AptGetInstallAsync(environment, cancellationToken)
                    : update;
            }

            return Find() ?? throw new InvalidOperationException(
                $"Installing Debian's 'postgresql' package did not provide initdb and pg_ctl under {Root}/*/bin "
                + $"(apt-get exit code {install.ExitCode}). Output:\n{install.Output}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<CommandResult> AptGetInstallAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        try
        {
            return await CommandLine.RunAsync(
                "apt-get",
                // Another test process may be installing at the same moment: wait for dpkg's lock instead of failing.
                ["-o", "DPkg::Lock::Timeout=240", "install", "-y", "--no-install-recommends", "postgresql"],
                InstallTimeout,
                environment: environment,
                cancellationToken: cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException(
                $"apt-get install postgresql did not finish within {InstallTimeout.TotalMinutes:0} minutes.", ex);
        }
    }
}
