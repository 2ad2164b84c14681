using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth.KeyRing;
using DialerCluster.Host.Auth.Sessions;
using DialerCluster.Host.Auth.SignIn;
using DialerCluster.Host.Auth.Users;
using DialerCluster.Host.Web;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace DialerCluster.Host.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Picks cookie or bearer per request: an Authorization header means an API client.</summary>
    public const string Scheme = "dialer";

    /// <summary>
    /// Sign-in (cookie for the pages, bearer and refresh tokens for API clients) with throttling, lockout and a bounded
    /// hashing queue; sessions that end everywhere; the key ring in the database; roles and policies; the first admin
    /// and demo users. Needs the dialer's storage (users, sessions, audit log and key ring live there).
    /// </summary>
    public static IServiceCollection AddDialerAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = AuthOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.AddSingleton<PasswordWork>();
        services.AddSingleton(new SignInThrottle(options.SignIn));
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<SignInService>();
        services.AddHostedService<SessionFollower>();
        services.AddHostedService<UserBootstrap>();

        // Session cookies and bearer tokens are sealed with Data Protection keys kept in the database, so every node
        // on it opens what any node sealed, and a restart keeps everyone signed in.
        services.AddDataProtection().SetApplicationName("DialerCluster");
        services.AddOptions<KeyManagementOptions>().Configure<IKeyRingStore>((o, store) => o.XmlRepository = new DatabaseXmlRepository(store));

        services
            .AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = OriginCheck.SessionCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = options.CookieSecure;
                o.ExpireTimeSpan = options.CookieLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/login.html";

                // The API answers with status codes; only pages are redirected to the sign-in page.
                o.Events.OnRedirectToLogin = context => Answer(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Answer(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(o =>
            {
                o.BearerTokenExpiration = options.TokenLifetime;
                o.RefreshTokenExpiration = options.RefreshTokenLifetime;
            });

        // After the built-in configuration has made the Data Protection sealed format: remember opened tokens.
        services.PostConfigure<BearerTokenOptions>(
            BearerTokenDefaults.AuthenticationScheme, o => o.BearerTokenProtector = new RememberedTickets(o.BearerTokenProtector));

        services.AddAuthorizationBuilder()
            .AddPolicy(DialerPolicies.SignedIn, p => p.RequireAuthenticatedUser().RequireRole(DialerRoles.All))
            .AddPolicy(DialerPolicies.Management, p => p.RequireAuthenticatedUser().RequireRole(DialerRoles.Supervisor, DialerRoles.Admin))
            .AddPolicy(DialerPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(DialerRoles.Admin));
        return services;
    }

    /// <summary>
    /// The Origin check on cookie writes, authentication, the session check (ended sessions become anonymous), then the
    /// API access rules. Call after routing is decided (any point in a minimal-hosting pipeline).
    /// </summary>
    public static IApplicationBuilder UseDialerAuth(this IApplicationBuilder app)
    {
        app.UseMiddleware<OriginCheck>();
        app.UseAuthentication();
        app.UseMiddleware<SessionCheckMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<ApiAccessMiddleware>();
        return app;
    }

    public static IEndpointRouteBuilder MapDialerAuth(this IEndpointRouteBuilder app) => app.MapDialerAuthEndpoints().MapUserAdmin();

    private static Task Answer(HttpContext context, string redirectUri, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
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
