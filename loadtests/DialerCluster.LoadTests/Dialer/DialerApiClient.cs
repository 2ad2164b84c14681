using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DialerCluster.LoadTests.Dialer;

/// <summary>A call to the dialer's API during set-up failed; the message names the request, the status and the problem the host gave.</summary>
internal sealed class SetupFailedException(string message) : Exception(message);

/// <summary>
/// The dialer's HTTP API as the suites use it to set up a call center (never inside a measured step): campaigns,
/// agents, users and tokens, contact import and cases. Every call is bounded by <see cref="CallTimeout"/>.
/// </summary>
internal sealed class DialerApiClient(HttpClient http, Uri baseUrl)
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>POST /api/auth/token → the bearer token.</summary>
    public async Task<string> TokenAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Post, "api/auth/token", null, JsonContent.Create(new { userName, password }, options: Json), cancellationToken);
        return body?["accessToken"]?.GetValue<string>() ?? throw new SetupFailedException("POST /api/auth/token: no accessToken in the answer");
    }

    public async Task<long> CreateCampaignAsync(string token, string name, CancellationToken cancellationToken)
    {
        var body = await PostJsonAsync(token, "api/campaigns", new
        {
            name,
            dialMode = "preview",

            // All day in every contact's zone, so a run at any hour measures the queue rather than the clock.
            callingWindow = new { start = "00:00", end = "23:59:59" },

            // The most the API allows: cases put straight back ("talked") must not run out of attempts mid-run.
            maxAttempts = 100,
        }, cancellationToken);
        return Id(body, "POST /api/campaigns");
    }

    public async Task<long> CreateAgentAsync(string token, string name, CancellationToken cancellationToken) =>
        Id(await PostJsonAsync(token, "api/agents", new { name }, cancellationToken), "POST /api/agents");

    public Task AssignAsync(string token, long campaignId, long agentId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"api/campaigns/{campaignId}/agents/{agentId}", token, null, cancellationToken);

    public Task CreateUserAsync(string token, string userName, string password, string role, long? agentId, CancellationToken cancellationToken) =>
        PostJsonAsync(token, "api/users", new { userName, password, role, agentId }, cancellationToken);

    public Task SetStatusAsync(string token, long agentId, string status, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"api/agents/{agentId}/status", token, JsonContent.Create(new { status, reason }, options: Json), cancellationToken);

    /// <summary>POST /api/contact-groups/import (multipart) → (groupId, imported, rejected rows).</summary>
    public async Task<(long GroupId, int Imported, int Rejected)> ImportContactsAsync(
        string token, string groupName, string fileName, byte[] csv, string defaultCountry, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(groupName), "name");
        form.Add(new StringContent(defaultCountry), "defaultCountry");
        var body = await SendAsync(HttpMethod.Post, "api/contact-groups/import", token, form, cancellationToken);
        return (
            body?["groupId"]?.GetValue<long>() ?? throw new SetupFailedException("POST /api/contact-groups/import: no groupId in the answer"),
            body["imported"]?.GetValue<int>() ?? 0,
            body["rejected"]?.AsArray().Count ?? 0);
    }

    /// <summary>POST /api/campaigns/{id}/cases from a contact group → (created, skipped).</summary>
    public async Task<(int Created, int Skipped)> CreateCasesFromGroupAsync(string token, long campaignId, long groupId, string priority, CancellationToken cancellationToken)
    {
        var body = await PostJsonAsync(token, $"api/campaigns/{campaignId}/cases", new { contactGroupId = groupId, priority }, cancellationToken);
        return (body?["created"]?.GetValue<int>() ?? 0, body?["skipped"]?.GetValue<int>() ?? 0);
    }

    private Task<JsonNode?> PostJsonAsync(string token, string path, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, token, JsonContent.Create(body, options: Json), cancellationToken);

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, string? token, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SetupFailedException($"{method} /{path}: no answer within {CallTimeout.TotalMinutes:0} minutes");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new SetupFailedException($"{method} /{path} → {(int)response.StatusCode} {response.StatusCode}: {Shorten(text)}");
            }

            return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? null : JsonNode.Parse(text);
        }
    }

    private static long Id(JsonNode? body, string call) =>
        body?["id"]?.GetValue<long>() ?? throw new SetupFailedException($"{call}: no id in the answer");

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + " …";
}
