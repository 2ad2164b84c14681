using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DialerCluster.Host.Tests.Api;

/// <summary>Small HTTP helpers for the API tests: JSON in, JSON (as elements, to see the wire format) out.</summary>
internal static class ApiCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json);
    }

    public static async Task<JsonElement> ExpectAsync(this HttpClient client, HttpStatusCode expected, HttpMethod method, string path, object? body = null)
    {
        var (status, json) = await client.SendAsync(method, path, body);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {json}");
        return json;
    }

    /// <summary>Next case that must come back empty: its 204, and the reason it names.</summary>
    public static async Task<string?> NoCaseAsync(this HttpClient client, long agent, long campaign)
    {
        using var response = await client.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}", null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return response.Headers.TryGetValues("Next-Case-Reason", out var reasons) ? reasons.Single() : null;
    }

    public static Task<JsonElement> PostAsync(this HttpClient client, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.ExpectAsync(expected, HttpMethod.Post, path, body);

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.ExpectAsync(expected, HttpMethod.Get, path);

    public static Task<JsonElement> PatchAsync(this HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.ExpectAsync(expected, HttpMethod.Patch, path, body);

    public static Task<JsonElement> PutAsync(this HttpClient client, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.ExpectAsync(expected, HttpMethod.Put, path, body);

    public static async Task<JsonElement> ImportAsync(this HttpClient client, string name, string csv, string? defaultCountry = "DE", HttpStatusCode expected = HttpStatusCode.OK, string fileName = "leads.csv")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(name), "name");
        if (defaultCountry is not null)
        {
            form.Add(new StringContent(defaultCountry), "defaultCountry");
        }

        using var response = await client.PostAsync("/api/contact-groups/import", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"import: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static long Id(this JsonElement json) => json.GetProperty("id").GetInt64();

    /// <summary>The fields a problem document names, in order.</summary>
    public static string[] ProblemFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>A campaign, an agent assigned to it and ready, and a contact group of <paramref name="phones"/> as its cases.</summary>
    public static async Task<(long Campaign, long Agent)> CampaignWithCasesAsync(this HttpClient client, IEnumerable<string> phones, object? settings = null, string priority = "low")
    {
        var campaign = (await client.PostAsync("/api/campaigns", settings ?? new { name = "campaign " + Guid.NewGuid().ToString("N")[..6] }, HttpStatusCode.Created)).Id();
        var agent = await client.ReadyAgentAsync(campaign);
        var csv = "name,phone\n" + string.Join("\n", phones.Select((p, i) => $"Lead {i},{p}"));
        var group = await client.ImportAsync("group " + Guid.NewGuid().ToString("N")[..6], csv);
        await client.PostAsync($"/api/campaigns/{campaign}/cases", new { contactGroupId = group.GetProperty("groupId").GetInt64(), priority });
        return (campaign, agent);
    }

    public static async Task<long> ReadyAgentAsync(this HttpClient client, long campaign, string name = "Agent")
    {
        var agent = (await client.PostAsync("/api/agents", new { name }, HttpStatusCode.Created)).Id();
        await client.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");
        await client.PutAsync($"/api/agents/{agent}/status", new { status = "ready" });
        return agent;
    }

    /// <summary>Unique German numbers per test run, so imports never clash with earlier tests' contacts.</summary>
    public static IReadOnlyList<string> Phones(int count)
    {
        var start = Interlocked.Add(ref _nextPhone, count) - count;
        return Enumerable.Range(0, count).Select(i => $"+49301{start + i:D7}").ToArray();
    }

    private static long _nextPhone = Random.Shared.Next(0, 5_000_000);
}
