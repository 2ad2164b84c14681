using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Testing;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The built host (DialerCluster.Host.dll beside the tests) as a child process on a free loopback port, with its own
/// throwaway SQLite folder and the settings a test gives (Section:Key), and an admin client signed in over HTTP.
/// Killed and its folder deleted on dispose.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "node-admin-pass-1";

    private readonly ChildProcess _process;
    private readonly string _dataFolder;

    private NodeProcess(ChildProcess process, string dataFolder, Uri baseAddress, HttpClient admin)
    {
        _process = process;
        _dataFolder = dataFolder;
        BaseAddress = baseAddress;
        Admin = admin;
    }

    public Uri BaseAddress { get; }

    /// <summary>Signed in as the admin (bearer token).</summary>
    public HttpClient Admin { get; }

    public string Output => _process.Output;

    public static async Task<NodeProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{PrometheusTools.FreeLoopbackPort()}/");
        var dataFolder = Directory.CreateTempSubdirectory("dialer-node-").FullName;
        var contentRoot = AppContext.BaseDirectory;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DIALER_ADMIN_USER"] = AdminUser,
            ["DIALER_ADMIN_PASSWORD"] = AdminPassword,
            ["Storage__DataFolder"] = dataFolder,
            ["Storage__SqliteSynchronous"] = "Normal",
            ["Demo__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = ChildProcess.Start(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet",
            [Path.Combine(contentRoot, "DialerCluster.Host.dll"), "--urls", baseAddress.ToString().TrimEnd('/'), "--contentRoot", contentRoot],
            environment,
            contentRoot);
        try
        {
            await process.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(90));
            var admin = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(90) };
            using var response = await admin.PostAsJsonAsync("api/auth/token", new { userName = AdminUser, password = AdminPassword });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new NodeProcess(process, dataFolder, baseAddress, admin);
        }
        catch
        {
            await process.DisposeAsync();
            Directory.Delete(dataFolder, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp folder is cleaned by the OS.
        }
    }
}
