using DialerCluster.Testing;
using Microsoft.Playwright;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// Debian's chromium driven by Playwright. Never downloads a browser: if /usr/bin/chromium is missing (a fresh
/// CI machine), installs the distribution's package with apt-get, bounded in time.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = ChromiumPackage.ExecutablePath;

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        await ChromiumPackage.EnsureInstalledAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
