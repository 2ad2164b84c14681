using DialerCluster.Dialing.Monitoring;
using Microsoft.AspNetCore.Hosting.Server;

namespace DialerCluster.Host.Cluster;

/// <param name="Silo">The node's Orleans silo address (<c>host:port@generation</c>), its identity in the cluster.</param>
/// <param name="Status">"joining", "active", "stopping" or "dead", from Orleans's membership.</param>
/// <param name="Activations">Grain activations on the node now; null for a node that is not active or did not answer in time.</param>
/// <param name="HttpAddress">Where the node serves HTTP, as it announced it; null for a node that has not (yet) announced one.</param>
/// <param name="Self">The node that answered this request.</param>
public sealed record ClusterNodeResponse(
    string Silo,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt,
    int? Activations,
    string? HttpAddress,
    bool Self);

public sealed record ClusterResponse(IReadOnlyList<ClusterNodeResponse> Nodes, DateTimeOffset At);

/// <summary>
/// GET /api/cluster: the nodes of the cluster as Orleans's membership sees them, with each node's activation count and
/// the HTTP address it announced on the live wall. One node on SQLite answers with itself.
/// </summary>
internal static class ClusterEndpoints
{
    /// <summary>A dead node stays in the list this long after its last heartbeat, then leaves it (the membership table keeps it longer).</summary>
    public static readonly TimeSpan DeadShownFor = TimeSpan.FromHours(1);

    // A node that just died is still listed active until it is voted dead; asking it must not hold the answer up.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The node's announced HTTP address (<c>Cluster:HttpAddress</c> checked now, so a bad value stops the start-up).</summary>
    public static WebApplicationBuilder AddClusterView(this WebApplicationBuilder builder)
    {
        var configured = NodeHttpAddress.Configured(builder.Configuration);
        var advertised = ClusterSettings.From(builder.Configuration).AdvertisedAddress;
        builder.Services.AddHostedService(sp => new HttpAddressAnnouncement(
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<IServer>(),
            sp.GetRequiredService<AnnouncedHttpAddress>(),
            configured,
            advertised));
        return builder;
    }

    public static RouteGroupBuilder MapCluster(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", GetAsync).WithTags("Cluster").WithName("Cluster");
        return api;
    }

    private static async Task<IResult> GetAsync(
        IGrainFactory grains,
        ILocalSiloDetails silo,
        AnnouncedHttpAddress announced,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken))
            .Where(h => h.Status != SiloStatus.Dead || now - Utc(h.IAmAliveTime) < DeadShownFor)
            .ToArray();
        var members = await AskAsync(grains.GetGrain<IWallGrain>(IWallGrain.Key).MembersAsync(), cancellationToken) ?? [];
        var addresses = members.ToDictionary(m => m.Node, m => m.HttpAddress, StringComparer.Ordinal);
        var activations = await Task.WhenAll(hosts.Select(async h => h.Status == SiloStatus.Active
            ? (await AskAsync(management.GetRuntimeStatistics([h.SiloAddress]), cancellationToken))?.FirstOrDefault()?.ActivationCount
            : null));

        var nodes = hosts.Select((h, i) =>
        {
            var name = h.SiloAddress.ToParsableString();
            var self = h.SiloAddress.Equals(silo.SiloAddress);
            return new ClusterNodeResponse(
                name,
                ClusterNodeStatus.Of(h.Status),
                Utc(h.StartTime),
                Utc(h.IAmAliveTime),
                activations[i],
                self ? announced.Value : addresses.GetValueOrDefault(name),
                self);
        }).OrderBy(n => n.StartedAt).ThenBy(n => n.Silo, StringComparer.Ordinal).ToArray();
        return Results.Ok(new ClusterResponse(nodes, now));
    }

    // Orleans keeps membership times in UTC, not always marked as such.
    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static async Task<T?> AskAsync<T>(Task<T> question, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await question.WaitAsync(AskTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansException)
        {
            return null;
        }
    }
}
