using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Host.Api;
using DialerCluster.Host.Json;
using DialerCluster.Runtime;
using DialerCluster.Storage;

namespace DialerCluster.Host;

/// <summary>The composition root, one concern per method, so Program.cs reads as a table of contents.</summary>
internal static class HostingExtensions
{
    /// <summary>Storage (SQLite file by default, PostgreSQL when configured), the grain runtime and the dialer's grains.</summary>
    public static WebApplicationBuilder AddDialerCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddDialerStorage(builder.Configuration);
        builder.Services.AddGrainRuntime();
        builder.Services.AddDialingGrains();
        return builder;
    }

    /// <summary>The HTTP API's plumbing: JSON wire names, problem details for every error, OpenAPI.</summary>
    public static WebApplicationBuilder AddDialerApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => DialerJson.Configure(options.SerializerOptions));

        // Binding failures throw, so the exception handler can name the field instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(new ContactImportReader());
        return builder;
    }

    /// <summary>Errors first in the pipeline: nothing below it can answer with a stack trace.</summary>
    public static WebApplication UseDialerApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ApiProblems.WriteStatusCodePageAsync);
        return app;
    }

    /// <summary>Every /api route, grouped per resource so authorization can be added per group in one place.</summary>
    public static WebApplication MapDialerApi(this WebApplication app)
    {
        app.MapOpenApi();
        var api = app.MapGroup("/api");
        api.MapCampaigns();
        api.MapAgents();
        api.MapCases();
        api.MapContacts();
        api.MapDoNotCall();
        api.MapMonitor();
        return app;
    }
}
