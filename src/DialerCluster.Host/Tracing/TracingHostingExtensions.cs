using DialerCluster.Dialing.Monitoring;
using DialerCluster.Host.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DialerCluster.Host.Tracing;

internal static class TracingHostingExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The dialer's spans (ActivitySource "DialerCluster") and ASP.NET Core's request spans, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the other OTEL_* variables apply: protocol, headers, service name).
    /// Without it nothing listens and a span costs one check.
    /// </summary>
    public static WebApplicationBuilder AddDialerTracing(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService("DialerCluster");
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(DialerTracing.SourceName)
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !context.Request.Path.StartsWithSegments(MetricsHostingExtensions.Path))
                .AddOtlpExporter());
        return builder;
    }
}
