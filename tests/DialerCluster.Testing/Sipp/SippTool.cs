namespace DialerCluster.Testing.Sipp;

/// <summary>
/// Debian's SIPp (package <c>sip-tester</c>), the carrier in the SIP tests and benchmark. Installed with apt-get when
/// missing (as root, bounded in time); a test fails with the reason when that is impossible, never skips.
/// </summary>
public static class SippTool
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "sipp"))
            .FirstOrDefault(File.Exists);

    public static async Task<string> FindOrInstallAsync(CancellationToken cancellationToken = default)
    {
        if (Find() is { } found)
        {
            return found;
        }

        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            if (Find() is { } again)
            {
                return again;
            }

            if (!Environment.IsPrivilegedProcess)
            {
                throw new InvalidOperationException("sipp is not on PATH and this process is not root: install Debian's 'sip-tester' package (apt-get install -y sip-tester).");
            }

            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var install = await AptGetInstallAsync(environment, cancellationToken);
            if (!install.Succeeded)
            {
                // A bare machine may have empty package lists: refresh them once and retry.
                var update = await CommandLine.RunAsync("apt-get", ["update"], InstallTimeout, environment: environment, cancellationToken: cancellationToken);
                install = update.Succeeded ? await AptGetInstallAsync(environment, cancellationToken) : update;
            }

            return Find() ?? throw new InvalidOperationException($"Installing 'sip-tester' did not provide sipp (exit code {install.ExitCode}):\n{install.Output}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static Task<CommandResult> AptGetInstallAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        CommandLine.RunAsync(
            "apt-get",
            ["-o", "DPkg::Lock::Timeout=240", "install", "-y", "--no-install-recommends", "sip-tester"],
            InstallTimeout,
            environment: environment,
            cancellationToken: cancellationToken);
}
