using System.Text.Json;
using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Grains;
using DialerCluster.Host.Auth;
using Microsoft.Extensions.Options;

namespace DialerCluster.Host.Audit;

/// <summary>
/// Writes one audit row per change a person makes through the API: who (the signed-in user), when, what and to what,
/// the change as the API's JSON. Written once the change has succeeded, so a refused change leaves no row.
/// </summary>
internal sealed class AuditTrail(IAuditLog log, [FromKeyedServices(DialerClock.Key)] TimeProvider time, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public Task RecordAsync(HttpContext http, string action, string subject, object? detail = null) =>
        log.AppendAsync(
            new AuditEntry(
                time.GetUtcNow(),
                SignedInUser.From(http.User)?.UserName ?? "anonymous",
                action,
                subject,
                detail is null ? null : JsonSerializer.Serialize(detail, detail.GetType(), json.Value.SerializerOptions)),
            CancellationToken.None);
}
