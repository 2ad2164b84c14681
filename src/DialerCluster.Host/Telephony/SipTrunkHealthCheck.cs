using DialerCluster.Telephony.Sip;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DialerCluster.Host.Telephony;

/// <summary>
/// /healthz's view of the trunk: the last OPTIONS ping's verdict, read from memory (the ping runs in the background,
/// so the endpoint stays as cheap as the load tests need). Degraded, not unhealthy, while the trunk does not answer:
/// the node still serves agents, previews and callbacks.
/// </summary>
internal sealed class SipTrunkHealthCheck(SipGateway gateway) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = gateway.TrunkStatus;
        return Task.FromResult(status.Reachable == true ? HealthCheckResult.Healthy(status.Detail) : HealthCheckResult.Degraded(status.Detail));
    }
}
