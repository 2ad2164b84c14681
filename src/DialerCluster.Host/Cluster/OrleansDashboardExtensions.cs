using DialerCluster.Host.Api;
using DialerCluster.Host.Auth;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// Orleans's own operations dashboard (grains, silos, calls) at <c>/dashboard</c>, for administrators only: it shows
/// every grain of the cluster and is nobody else's business. Anyone else, signed in or not, gets a 403.
/// </summary>
internal static class OrleansDashboardExtensions
{
    public const string Path = "/dashboard";

    /// <summary>The silo side: the dashboard's counters. Live log streaming stays off: logs are not for a browser.</summary>
    public static ISiloBuilder AddDialerDashboard(this ISiloBuilder silo) => silo.AddDashboard(o => o.HideTrace = true);

    /// <summary>
    /// Call after authentication: the guard answers before the dashboard's own endpoints do. It is the one gate, rather
    /// than an authorization policy on the endpoints, because a policy's challenge sends a browser to the sign-in page
    /// with a 302 where a plain 403 is wanted.
    /// </summary>
    public static WebApplication MapOrleansDashboardForAdministrators(this WebApplication app)
    {
        app.Use(static async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path) && !await IsAdministratorAsync(context))
            {
                await ApiProblems.Problem(StatusCodes.Status403Forbidden, "path", "the Orleans dashboard is for administrators only")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.MapOrleansDashboard(routePrefix: Path);
        return app;
    }

    private static async Task<bool> IsAdministratorAsync(HttpContext context) =>
        (await context.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(context.User, DialerPolicies.Admin)).Succeeded;
}
