using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace DialerCluster.Dialing.Grains;

public static class DialingServiceCollectionExtensions
{
    /// <summary>
    /// The node-wide singletons the grains share: the do-not-call registry (loaded from its store when the
    /// host starts), the live board, the hot paths' grain references, and the dialer's clock (the system's unless one was registered before).
    /// Orleans and the stores are registered elsewhere.
    /// </summary>
    public static IServiceCollection AddDialingGrains(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton(DialerClock.Key, TimeProvider.System);
        services.TryAddSingleton(sp => new LiveBoard(sp.GetRequiredKeyedService<TimeProvider>(DialerClock.Key)));
        services.TryAddSingleton<DoNotCallRegistry>();
        services.TryAddSingleton<HotGrainReferences>();
        services.TryAddSingleton<IDoNotCallList>(sp => sp.GetRequiredService<DoNotCallRegistry>());
        services.AddHostedService<DoNotCallStartup>();
        return services;
    }

    private sealed class DoNotCallStartup(DoNotCallRegistry registry) : IHostedService
    {
        // Runs after the storage's schema migration (its starting phase), before requests are served.
        public Task StartAsync(CancellationToken cancellationToken) => registry.LoadAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
