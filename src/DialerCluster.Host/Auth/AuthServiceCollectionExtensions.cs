using DialerCluster.Dialing.Stores;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace DialerCluster.Host.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Picks cookie or bearer per request: an Authorization header means an API client.</summary>
    public const string Scheme = "dialer";

    /// <summary>Sign-in (cookie for the pages, bearer tokens for API clients), roles and policies, the first admin and demo users.</summary>
    public static IServiceCollection AddDialerAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AuthOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.AddSingleton(sp => new UserDirectory(sp.GetService<IUserStore>() ?? new InMemoryUserStore()));
        services.AddHostedService<UserBootstrap>();

        // Session cookies and bearer tokens are sealed with Data Protection keys. Kept beside the node's data,
        // they survive a restart (agents stay signed in); nodes of one cluster must share this folder (or the
        // key ring) for a token from one node to open on another.
        var keys = configuration["Auth:KeysFolder"] is { Length: > 0 } folder
            ? folder
            : Path.Combine(configuration["Storage:DataFolder"] is { Length: > 0 } data ? data : "data", "keys");
        services.AddDataProtection()
            .SetApplicationName("DialerCluster")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(keys)));

        services
            .AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "dialer.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = options.CookieLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/login.html";

                // The API answers with status codes; only pages are redirected to the sign-in page.
                o.Events.OnRedirectToLogin = context => Answer(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Answer(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(o => o.BearerTokenExpiration = options.TokenLifetime);

        // After the built-in configuration has made the Data Protection sealed format: remember opened tokens.
        services.PostConfigure<BearerTokenOptions>(
            BearerTokenDefaults.AuthenticationScheme, o => o.BearerTokenProtector = new RememberedTickets(o.BearerTokenProtector));

        services.AddAuthorizationBuilder()
            .AddPolicy(DialerPolicies.SignedIn, p => p.RequireAuthenticatedUser().RequireRole(DialerRoles.All))
            .AddPolicy(DialerPolicies.Management, p => p.RequireAuthenticatedUser().RequireRole(DialerRoles.Supervisor, DialerRoles.Admin))
            .AddPolicy(DialerPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(DialerRoles.Admin));
        return services;
    }

    /// <summary>Authentication, then the API access rules. Call after routing is decided (any point in a minimal-hosting pipeline).</summary>
    public static IApplicationBuilder UseDialerAuth(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ApiAccessMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapDialerAuth(this IEndpointRouteBuilder app) => app.MapDialerAuthEndpoints();

    private static Task Answer(HttpContext context, string redirectUri, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(redirectUri);
        }

        return Task.CompletedTask;
    }
}
