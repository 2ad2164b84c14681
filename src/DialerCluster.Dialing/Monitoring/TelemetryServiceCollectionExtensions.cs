using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DialerCluster.Dialing.Monitoring;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The dialer's metrics (meter "DialerCluster", through this container's <see cref="IMeterFactory"/>) and its trace
    /// spans (ActivitySource "DialerCluster"). Grains and stores take them when registered and record nothing otherwise.
    /// </summary>
    public static IServiceCollection AddDialerTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new LiveBoard(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new DialerMetrics(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<LiveBoard>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<DialerTracing>();
        return services;
    }
}
