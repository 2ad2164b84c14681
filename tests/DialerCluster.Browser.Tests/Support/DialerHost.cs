using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using DialerCluster.Testing;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// The real host as a child process on a free loopback port, with its own throwaway SQLite folder and the
/// pages copied beside the test assembly (content root). An admin API client seeds data over HTTP.
/// </summary>
public sealed class DialerHost : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-pass-123";

    private readonly ChildProcess _process;
    private readonly string _dataFolder;

    private DialerHost(ChildProcess process, string dataFolder, Uri baseAddress, HttpClient admin)
    {
        _process = process;
        _dataFolder = dataFolder;
        BaseAddress = baseAddress;
        Admin = admin;
    }

    public Uri BaseAddress { get; }

    /// <summary>Signed in with the admin's bearer token.</summary>
    public HttpClient Admin { get; }

    public string Output => _process.Output;

    /// <param name="settings">Extra host settings as environment variables (e.g. <c>Telephony__Simulated__AnswerRate</c>).</param>
    public static async Task<DialerHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = LoopbackPorts.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var dataFolder = Directory.CreateTempSubdirectory("dialer-browser-").FullName;
        var contentRoot = AppContext.BaseDirectory;
        var environment = new Dictionary<string, string>(LoopbackPorts.SiloEnvironment())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DIALER_ADMIN_USER"] = AdminUser,
            ["DIALER_ADMIN_PASSWORD"] = AdminPassword,
            ["Storage__DataFolder"] = dataFolder,
            ["Demo__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        // The SDK running the tests says which dotnet it is; PATH is the fallback.
        var process = ChildProcess.Start(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet && File.Exists(dotnet) ? dotnet : "dotnet",
            [Path.Combine(contentRoot, "DialerCluster.Host.dll"), "--urls", baseAddress.ToString().TrimEnd('/'), "--contentRoot", contentRoot],
            environment,
            contentRoot);
        try
        {
            await process.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(60));
            var admin = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var token = await PostJsonAsync(admin, "api/auth/token", new { userName = AdminUser, password = AdminPassword });
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
            return new DialerHost(process, dataFolder, baseAddress, admin);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CreateCampaignAsync(string name, string dialMode = "preview", object? retryDelays = null)
    {
        var campaign = await PostJsonAsync(Admin, "api/campaigns", new
        {
            name,
            dialMode,

            // All day, so the test passes at any hour in any contact time zone.
            callingWindow = new { start = "00:00", end = "23:59" },
            retryDelays,
        });
        return campaign["id"]!.GetValue<long>();
    }

    public async Task<long> CreateAgentAsync(string name)
    {
        var agent = await PostJsonAsync(Admin, "api/agents", new { name });
        return agent["id"]!.GetValue<long>();
    }

    public async Task AssignAsync(long campaignId, long agentId)
    {
        using var response = await Admin.PutAsync($"api/campaigns/{campaignId}/agents/{agentId}", null);
        await EnsureAsync(response);
    }

    public async Task SetStatusAsync(long agentId, string status, string? reason = null)
    {
        using var response = await Admin.PutAsJsonAsync($"api/agents/{agentId}/status", new { status, reason });
        await EnsureAsync(response);
    }

    public Task CreateUserAsync(string userName, string password, string role, long? agentId = null) =>
        PostJsonAsync(Admin, "api/users", new { userName, password, role, agentId });

    public Task AddCaseAsync(long campaignId, string name, string phone, string priority = "normal") =>
        PostJsonAsync(Admin, $"api/campaigns/{campaignId}/cases", new
        {
            contact = new { name, phones = new[] { phone }, company = "Northwind Traders", email = "buyer@northwind.example", country = "GB" },
            priority,
        });

    private static async Task<JsonNode> PostJsonAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        await EnsureAsync(response);
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"POST {path}: empty body");
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
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

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
