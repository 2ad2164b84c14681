using DialerCluster.Dialing.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DialerCluster.Dialing.Monitoring;

public static class LiveWallServiceCollectionExtensions
{
    /// <summary>
    /// The live board, and the relay that makes it cluster-wide: every node's board shows every node's agents,
    /// campaigns and imports (<see cref="WallRelay"/>). Needs the node's Orleans silo; on one node the relay talks
    /// to the wall grain on that node, so one code path serves one node and many.
    /// </summary>
    public static IServiceCollection AddLiveWall(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton(DialerClock.Key, TimeProvider.System);
        services.TryAddSingleton(sp => new LiveBoard(sp.GetRequiredKeyedService<TimeProvider>(DialerClock.Key)));
        services.TryAddSingleton<AnnouncedHttpAddress>();
        services.TryAddSingleton(new WallTiming());
        services.AddHostedService<WallRelay>();
        return services;
    }
}
