using DialerCluster.Telephony.Sip;

namespace DialerCluster.Host.Telephony;

/// <summary>Binds the SIP gateway's socket when the host starts and hangs up and closes it when the host stops.</summary>
internal sealed class SipGatewayService(SipGateway gateway) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => gateway.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => gateway.StopAsync(cancellationToken);
}
