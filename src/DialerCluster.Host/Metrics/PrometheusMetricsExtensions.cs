using System.Diagnostics.Metrics;

namespace DialerCluster.Host.Metrics;

/// <summary>Wires the Prometheus exposition into the host: one call on the services, one on the endpoints.</summary>
public static class PrometheusMetricsExtensions
{
    /// <summary>
    /// Registers the collector that listens to the "DialerCluster*" meters and ASP.NET Core's request metrics.
    /// </summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddSingleton(static provider => new MetricsCollector(
            MetricsCollector.IsDialerClusterMeter,
            provider.GetService<IMeterFactory>(),
            new ProcessMetrics(),
            provider.GetService<ILogger<MetricsCollector>>()));
        return services;
    }

    /// <summary>
    /// Serves the scrape at <paramref name="pattern"/> in Prometheus text format 0.0.4. The collector starts
    /// listening here, at startup, rather than on the first scrape: measurements before it would be lost.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var collector = endpoints.ServiceProvider.GetRequiredService<MetricsCollector>();
        return endpoints.MapGet(pattern, async context =>
            {
                var text = collector.Scrape();
                context.Response.ContentType = PrometheusText.ContentType;
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.WriteAsync(text, context.RequestAborted);
            })
            // Prometheus's own scrapes every few seconds would otherwise dominate the request-duration histogram.
            .DisableHttpMetrics();
    }
}
