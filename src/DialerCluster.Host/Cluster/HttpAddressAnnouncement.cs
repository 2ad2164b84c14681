using System.Net;
using DialerCluster.Dialing.Monitoring;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// Sets the node's <see cref="AnnouncedHttpAddress"/> once the server listens (its addresses are known only then, a
/// port 0 included); the wall's relay then announces it to the other nodes.
/// </summary>
internal sealed class HttpAddressAnnouncement(
    IHostApplicationLifetime lifetime,
    IServer server,
    AnnouncedHttpAddress announced,
    Uri? configured,
    IPAddress advertised) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            announced.Value = NodeHttpAddress.Choose(configured, listening, advertised);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
