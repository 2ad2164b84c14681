using DialerCluster.Testing;
using Microsoft.Playwright;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// Debian's chromium driven by Playwright. Never downloads a browser: if /usr/bin/chromium is missing (a fresh
/// CI machine), installs the distribution's package with apt-get, bounded in time.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        await EnsureInstalledAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(ExecutablePath))
            {
                return;
            }

            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var update = await CommandLine.RunAsync("apt-get", ["update"], TimeSpan.FromMinutes(3), environment: environment);
            var install = await CommandLine.RunAsync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], TimeSpan.FromMinutes(10), environment: environment);
            if (!install.Succeeded || !File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException(
                    $"{ExecutablePath} is missing and apt-get could not install Debian's chromium (run as root?).\n{update.Output}\n{install.Output}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }
}
