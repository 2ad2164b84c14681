using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Api;
using Prometheus;

namespace DialerCluster.Host.Metrics;

/// <summary>/metrics served by prometheus-net: the dialer's meter, the instruments the dashboards read, process figures.</summary>
internal static class MetricsHostingExtensions
{
    public const string Path = "/metrics";

    /// <summary>
    /// The dialer's metrics and tracing spans, the Prometheus export, the sampler of the campaigns' abandon rates, and,
    /// with <c>Metrics:Url</c>, a listener of its own for /metrics (see <see cref="MetricsOptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddDialerMetrics(this WebApplicationBuilder builder)
    {
        var options = MetricsOptions.FromConfiguration(builder.Configuration.GetSection("Metrics"));
        builder.Services.AddSingleton(options);
        builder.Services.AddDialerTelemetry();
        builder.Services.AddSingleton<PrometheusExport>();
        builder.Services.AddHostedService(sp => new CampaignFiguresSampler(
            sp.GetRequiredService<ICampaignStore>(),
            sp.GetRequiredService<ICallStore>(),
            sp.GetRequiredService<DialerMetrics>(),
            sp.GetRequiredKeyedService<TimeProvider>(DialerClock.Key),
            sp.GetRequiredService<ILogger<CampaignFiguresSampler>>(),
            options.SampleInterval));
        if (options.Url is { } url)
        {
            builder.WebHost.UseUrls([.. ServerUrls(builder.Configuration), url.GetLeftPart(UriPartial.Authority)]);
            builder.Services.AddTransient<IStartupFilter>(_ => new MetricsPortOnly(url.Port));
        }

        return builder;
    }

    /// <summary>
    /// Serves the scrape at /metrics to whoever <see cref="MetricsAccess"/> lets in. The export starts listening here, at
    /// start-up, not on the first scrape: measurements before it would be lost.
    /// </summary>
    public static IEndpointConventionBuilder MapDialerMetrics(this IEndpointRouteBuilder endpoints)
    {
        var export = endpoints.ServiceProvider.GetRequiredService<PrometheusExport>();
        var options = endpoints.ServiceProvider.GetRequiredService<MetricsOptions>();
        var pipeline = endpoints.CreateApplicationBuilder()
            .Use(async (context, next) =>
            {
                var verdict = MetricsAccess.Decide(
                    options, context.Connection.LocalPort, context.Connection.RemoteIpAddress, context.Request.Headers.Authorization);
                switch (verdict)
                {
                    case MetricsVerdict.Serve:
                        context.Response.Headers.CacheControl = "no-store";
                        await next(context);
                        break;
                    case MetricsVerdict.NotFound:
                        await ApiProblems.Problem(StatusCodes.Status404NotFound, "path", $"metrics are served on port {options.Url!.Port}").ExecuteAsync(context);
                        break;
                    case MetricsVerdict.Unauthorized:
                        context.Response.Headers.WWWAuthenticate = "Bearer";
                        await ApiProblems.Problem(StatusCodes.Status401Unauthorized, "Authorization", "send the scrape token as 'Bearer <Metrics:ScrapeToken>'").ExecuteAsync(context);
                        break;
                    default:
                        await ApiProblems.Problem(
                            StatusCodes.Status403Forbidden, "client", "metrics are served to this machine only; set Metrics:ScrapeToken or Metrics:Url to scrape from elsewhere").ExecuteAsync(context);
                        break;
                }
            })
            .UseMetricServer(settings => settings.Registry = export.Registry, url: null)
            .Build();

        // Prometheus's own scrapes every few seconds would otherwise dominate the request-duration histogram.
        return endpoints.Map(Path, pipeline).WithDisplayName("Prometheus metrics").DisableHttpMetrics();
    }

    /// <summary>The URLs the node listens on without a metrics port (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, or Kestrel's default).</summary>
    private static IEnumerable<string> ServerUrls(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return configuration["http_ports"] is { Length: > 0 } ports
            ? ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"http://*:{port}")
            : ["http://localhost:5000"];
    }

    /// <summary>On the metrics port nothing but /metrics answers: the API and the pages stay on the main port.</summary>
    private sealed class MetricsPortOnly(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Connection.LocalPort == port && !context.Request.Path.Equals(Path, StringComparison.Ordinal))
                {
                    await ApiProblems.Problem(StatusCodes.Status404NotFound, "path", $"only {Path} is served on this port").ExecuteAsync(context);
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
