using System.Diagnostics.Metrics;
using DialerCluster.Dialing.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DialerCluster.Dialing.Monitoring;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The dialer's metrics (meter "DialerCluster", through this container's <see cref="IMeterFactory"/>) and its trace
    /// spans (ActivitySource "DialerCluster"). Grains and stores take them when registered and record nothing otherwise.
    /// The live board and the dialer's clock come from the grains' registration (AddDialingGrains).
    /// </summary>
    public static IServiceCollection AddDialerTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new DialerMetrics(
            sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<LiveBoard>(), sp.GetRequiredKeyedService<TimeProvider>(DialerClock.Key)));
        services.TryAddSingleton<DialerTracing>();
        return services;
    }
}
