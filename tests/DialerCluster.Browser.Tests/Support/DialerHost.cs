using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DialerCluster.Testing;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// The real host as a child process (<see cref="HostProcess"/>), with the pages copied beside the test assembly (its
/// content root), and the admin API calls the browser tests seed their data with.
/// </summary>
public sealed class DialerHost : IAsyncDisposable
{
    public const string AdminUser = HostProcess.AdminUser;
    public const string AdminPassword = HostProcess.AdminPassword;

    private readonly HostProcess _host;

    private DialerHost(HostProcess host) => _host = host;

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>Signed in with the admin's bearer token.</summary>
    public HttpClient Admin => _host.Admin;

    public string Output => _host.Output;

    /// <summary>The host's SQLite file (its data folder's default), for tests that seed history the API cannot make, such as dialed calls.</summary>
    public string DatabasePath => Path.Combine(_host.DataFolder, "dialer.db");

    /// <summary>A client signed in as another user (bearer token), e.g. an agent changing its own cases.</summary>
    public async Task<HttpClient> SignedInAsync(string userName, string password)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = await PostJsonAsync(client, "api/auth/token", new { userName, password });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
        return client;
    }

    /// <param name="settings">Extra host settings as environment variables (e.g. <c>Telephony__Simulated__AnswerRate</c>).</param>
    public static async Task<DialerHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null) =>
        new(await HostProcess.StartAsync(settings));

    /// <summary>A case save as the pages make it: the case read for its ETag, the change sent with it in If-Match.</summary>
    public static async Task SaveCaseAsync(HttpClient client, long caseId, object body)
    {
        using var read = await client.GetAsync($"api/cases/{caseId}");
        read.EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/cases/{caseId}") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PATCH case {caseId} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
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

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
