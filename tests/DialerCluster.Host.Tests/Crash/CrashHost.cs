using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DialerCluster.Testing;

namespace DialerCluster.Host.Tests.Crash;

/// <summary>
/// The built host (DialerCluster.Host.dll beside the tests) as a separate process on a free loopback port,
/// on the database the environment names; <see cref="KillAsync"/> is SIGKILL, no shutdown code runs.
/// </summary>
internal sealed class CrashHost : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "crash-admin-pass-1";

    private readonly ChildProcess _process;

    private CrashHost(ChildProcess process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    /// <summary>Signed in as the admin (bearer token), who may act for any agent.</summary>
    public HttpClient Client { get; }

    public string Output => _process.Output;

    /// <summary>The host's process id, for signals other than SIGKILL (SIGSTOP, SIGCONT).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<CrashHost> StartAsync(IReadOnlyDictionary<string, string> storageEnvironment)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");
        var contentRoot = AppContext.BaseDirectory;
        var environment = new Dictionary<string, string>(storageEnvironment)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DIALER_ADMIN_USER"] = AdminUser,
            ["DIALER_ADMIN_PASSWORD"] = AdminPassword,
            ["Demo__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        var process = ChildProcess.Start(
            "dotnet",
            [Path.Combine(contentRoot, "DialerCluster.Host.dll"), "--urls", baseAddress.ToString().TrimEnd('/'), "--contentRoot", contentRoot],
            environment,
            contentRoot);
        try
        {
            await process.WaitForOutputAsync("Now listening on", TimeSpan.FromSeconds(90));
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
            {
                BaseAddress = baseAddress,
                Timeout = TimeSpan.FromSeconds(60),
            };
            using var response = await client.PostAsJsonAsync("api/auth/token", new { userName = AdminUser, password = AdminPassword });
            var token = await ReadAsync(response);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
            return new CrashHost(process, client);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonNode> PostAsync(string path, object? body)
    {
        using var response = body is null ? await Client.PostAsync(path, null) : await Client.PostAsJsonAsync(path, body);
        return await ReadAsync(response);
    }

    public async Task<JsonNode> PutAsync(string path, object? body)
    {
        using var response = body is null ? await Client.PutAsync(path, null) : await Client.PutAsJsonAsync(path, body);
        return await ReadAsync(response);
    }

    /// <summary>A case save based on the case as it is now: its ETag read first and sent back in If-Match.</summary>
    public async Task<JsonNode> PatchAsync(string path, object body)
    {
        using var read = await Client.GetAsync(path);
        await ReadAsync(read);
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        using var response = await Client.SendAsync(request);
        return await ReadAsync(response);
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return await ReadAsync(response);
    }

    public async Task<JsonNode> ImportAsync(string name, string csv)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name), "name");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "contacts.csv");
        using var response = await Client.PostAsync("api/contact-groups/import", form);
        return await ReadAsync(response);
    }

    /// <summary>SIGKILL: in-flight requests die with the process, exactly as in a crash.</summary>
    public Task KillAsync() => _process.KillHardAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _process.DisposeAsync();
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(string.IsNullOrEmpty(text) ? "{}" : text)!;
    }

}
