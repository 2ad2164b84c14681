namespace DialerCluster.Testing;

/// <summary>
/// Debian's chromium, for tests that look at pages. Never downloads a browser: if /usr/bin/chromium is missing (a fresh
/// CI machine), installs the distribution's package with apt-get, bounded in time.
/// </summary>
public static class ChromiumPackage
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static async Task EnsureInstalledAsync()
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

    /// <summary>Renders a local HTML file headless into a PNG of the given window size.</summary>
    public static async Task ScreenshotAsync(string htmlFile, string pngFile, int width, int height)
    {
        await EnsureInstalledAsync();
        var profile = Directory.CreateTempSubdirectory("dialer-chromium-").FullName;
        try
        {
            var shot = await CommandLine.RunAsync(
                ExecutablePath,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", $"--window-size={width},{height}",
                    $"--screenshot={pngFile}", new Uri(htmlFile).AbsoluteUri,
                ],
                TimeSpan.FromMinutes(2));
            if (!shot.Succeeded || !File.Exists(pngFile))
            {
                throw new InvalidOperationException($"chromium could not render {htmlFile}:\n{shot.Output}");
            }
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
