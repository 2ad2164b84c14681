using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DialerCluster.Dialing.Audit;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>Helpers of the managers' API tests.</summary>
internal static class ManagerCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(this HttpClient client, string path, string fileName, string text, params (string Name, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        using var response = await client.PostAsync(path, form);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>A case of one hand-typed contact in the campaign.</summary>
    public static async Task<long> CaseAsync(this HttpClient client, long campaign, string name, string? priority = null)
    {
        var created = await client.PostAsync(
            $"/api/campaigns/{campaign}/cases", new { contact = new { name, phone = ApiCalls.Phones(1)[0] }, priority });
        return created.GetProperty("caseIds")[0].GetInt64();
    }

    /// <summary>A case write as the pages make it: the case read for its ETag, the change sent with it in If-Match.</summary>
    public static async Task<JsonElement> SaveCaseAsync(
        this HttpClient client, long caseId, object change, string? path = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var read = await client.GetAsync($"/api/cases/{caseId}");
        Assert.True(read.IsSuccessStatusCode, $"GET case {caseId}: {(int)read.StatusCode}");
        using var request = new HttpRequestMessage(path is null ? HttpMethod.Patch : HttpMethod.Put, path ?? $"/api/cases/{caseId}")
        {
            Content = JsonContent.Create(change),
        };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The supervisor's reassign of a case, over the version just read.</summary>
    public static Task<JsonElement> ReassignAsync(this HttpClient client, long caseId, long? owner, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.SaveCaseAsync(caseId, new { ownerAgentId = owner }, $"/api/cases/{caseId}/owner", expected);

    /// <summary>The audit rows about a subject, newest first, read from the host's own audit log.</summary>
    public static Task<IReadOnlyList<AuditRecord>> AuditAsync(this DialerHostFactory factory, string subject) =>
        factory.Services.GetRequiredService<IAuditLog>().RecentAsync(100, subject, null, CancellationToken.None);

    public static string Day(this ApiClock clock) => clock.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
