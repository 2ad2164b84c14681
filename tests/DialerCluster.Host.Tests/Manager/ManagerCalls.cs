using System.Net;
using System.Net.Http.Headers;
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

    /// <summary>The audit rows about a subject, newest first, read from the host's own audit log.</summary>
    public static Task<IReadOnlyList<AuditEntry>> AuditAsync(this DialerHostFactory factory, string subject) =>
        factory.Services.GetRequiredService<IAuditLog>().ListAsync(subject, 100, CancellationToken.None);

    public static string Day(this ApiClock clock) => clock.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
