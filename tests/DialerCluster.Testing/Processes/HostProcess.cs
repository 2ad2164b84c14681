using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace DialerCluster.Testing;

/// <summary>
/// The built host (DialerCluster.Host.dll beside the test assembly, which references it) as a child process on a free
/// loopback port, with Orleans silo ports of its own, a throwaway SQLite folder, no demo, and an admin client signed in
/// over HTTP with a bearer token. Killed and its folder deleted on dispose.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "host-admin-pass-1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;

    private HostProcess(ChildProcess process, string dataFolder, Uri baseAddress, HttpClient admin)
    {
        _process = process;
        DataFolder = dataFolder;
        BaseAddress = baseAddress;
        Admin = admin;
    }

    public Uri BaseAddress { get; }

    /// <summary>Signed in as the admin (bearer token).</summary>
    public HttpClient Admin { get; }

    /// <summary>The host's data folder (its SQLite file is <c>dialer.db</c> there).</summary>
    public string DataFolder { get; }

    public string Output => _process.Output;

    /// <param name="settings">Host settings over the defaults, as <c>Section:Key</c> or as environment variables (<c>Section__Key</c>).</param>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var dataFolder = Directory.CreateTempSubdirectory("dialer-host-").FullName;
        var contentRoot = AppContext.BaseDirectory;
        var environment = new Dictionary<string, string>(LoopbackPorts.SiloEnvironment())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DIALER_ADMIN_USER"] = AdminUser,
            ["DIALER_ADMIN_PASSWORD"] = AdminPassword,
            ["Storage__DataFolder"] = dataFolder,

            // A test's data need not outlive a power cut: commits skip the fsync a real node makes.
            ["Storage__SqliteSynchronous"] = "Normal",
            ["Demo__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // The SDK running the tests says which dotnet it is; PATH is the fallback.
        var process = ChildProcess.Start(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet",
            [Path.Combine(contentRoot, "DialerCluster.Host.dll"), "--urls", baseAddress.ToString().TrimEnd('/'), "--contentRoot", contentRoot],
            environment,
            contentRoot);
        HttpClient? admin = null;
        try
        {
            await process.WaitForOutputAsync("Now listening on", StartTimeout);
            admin = new HttpClient { BaseAddress = baseAddress, Timeout = StartTimeout };
            using var response = await admin.PostAsJsonAsync("api/auth/token", new { userName = AdminUser, password = AdminPassword });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new HostProcess(process, dataFolder, baseAddress, admin);
        }
        catch
        {
            admin?.Dispose();
            await process.DisposeAsync();
            DeleteFolder(dataFolder);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _process.DisposeAsync();
        DeleteFolder(DataFolder);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp folder is cleaned by the OS.
        }
    }
}
