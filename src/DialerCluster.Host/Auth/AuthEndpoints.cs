using System.Globalization;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Api;
using DialerCluster.Host.Auth.Sessions;
using DialerCluster.Host.Auth.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DialerCluster.Host.Auth;

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapDialerAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth").CheckDisplayedText();
        auth.MapPost("/login", LoginAsync).WithName("SignInWithCookie");
        auth.MapPost("/token", TokenAsync).WithName("SignInForToken");
        auth.MapPost("/refresh", RefreshAsync).WithName("RefreshToken");
        auth.MapPost("/logout", (Delegate)LogoutAsync).WithName("SignOut");
        auth.MapGet("/me", (Delegate)MeAsync).WithName("Me");
        return app;
    }

    /// <summary>Cookie sign-in for the pages.</summary>
    private static async Task<IResult> LoginAsync(SignInRequest? request, SignInService signIn, SessionService sessions, DialerMetrics metrics, HttpContext context)
    {
        var outcome = await signIn.SignInAsync(request?.UserName, request?.Password, context.Connection.RemoteIpAddress, context.RequestAborted);
        if (outcome.User is not { } user || outcome.Result != SignInResult.SignedIn)
        {
            return Refused(outcome, metrics, context);
        }

        var scheme = CookieAuthenticationDefaults.AuthenticationScheme;
        var principal = await sessions.BeginAsync(user, AuthSessionKind.Cookie, SignInService.AddressKey(context.Connection.RemoteIpAddress), scheme, context.RequestAborted);
        await context.SignInAsync(scheme, principal);
        return TypedResults.Ok(await MeOfAsync(SignedInUser.From(principal)!, context));
    }

    /// <summary>Bearer tokens for API clients: {tokenType, accessToken, expiresIn, refreshToken}.</summary>
    private static async Task<IResult> TokenAsync(SignInRequest? request, SignInService signIn, SessionService sessions, DialerMetrics metrics, HttpContext context)
    {
        var outcome = await signIn.SignInAsync(request?.UserName, request?.Password, context.Connection.RemoteIpAddress, context.RequestAborted);
        if (outcome.User is not { } user || outcome.Result != SignInResult.SignedIn)
        {
            return Refused(outcome, metrics, context);
        }

        var scheme = BearerTokenDefaults.AuthenticationScheme;
        var principal = await sessions.BeginAsync(user, AuthSessionKind.Bearer, SignInService.AddressKey(context.Connection.RemoteIpAddress), scheme, context.RequestAborted);
        return TypedResults.SignIn(principal, authenticationScheme: scheme);
    }

    /// <summary>New tokens for a refresh token, which then stops working (rotation); a retired one coming back ends the session.</summary>
    private static async Task<IResult> RefreshAsync(RefreshRequest? request, SessionService sessions, HttpContext context)
    {
        var (principal, refusal) = await sessions.RefreshAsync(request?.RefreshToken, context.RequestAborted);
        if (principal is null)
        {
            var reason = refusal switch
            {
                RefreshRefusal.Expired => "has expired: sign in again",
                RefreshRefusal.SessionEnded => "belongs to a session that has ended: sign in again",
                RefreshRefusal.Replayed => "was already used; the session has been ended: sign in again",
                _ => "is missing or not a refresh token of this system",
            };
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "refreshToken", reason);
        }

        return TypedResults.SignIn(principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    /// <summary>Ends the caller's session everywhere: the cookie, or the bearer access and refresh tokens.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, SessionService sessions)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            await sessions.EndAsync(context.User, context.RequestAborted);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> MeAsync(HttpContext context) =>
        SignedInUser.From(context.User) is { } user ? TypedResults.Ok(await MeOfAsync(user, context)) : TypedResults.Unauthorized();

    private static async Task<MeView> MeOfAsync(SignedInUser user, HttpContext context)
    {
        if (user.AgentId is not { } agentId)
        {
            return new MeView(user.UserName, user.Role, null, null, []);
        }

        var agent = context.RequestServices.GetService<IAgentStore>() is { } agents ? await agents.GetAsync(agentId, context.RequestAborted) : null;
        var campaigns = context.RequestServices.GetService<ICampaignStore>() is { } store
            ? await store.CampaignsOfAgentAsync(agentId, context.RequestAborted)
            : [];
        return new MeView(user.UserName, user.Role, agentId, agent?.Name, campaigns);
    }

    /// <summary>Wrong credentials (never saying which; counted in the metrics), throttled or locked (429), busy (503) or disabled (403).</summary>
    private static IResult Refused(SignInOutcome outcome, DialerMetrics metrics, HttpContext context)
    {
        if (outcome.Result == SignInResult.WrongCredentials)
        {
            metrics.SignInFailed();
        }

        if (outcome.Result is SignInResult.Throttled or SignInResult.Locked or SignInResult.Busy)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(outcome.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return outcome.Result switch
        {
            SignInResult.Throttled or SignInResult.Locked => TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts", detail: outcome.Detail),
            SignInResult.Busy => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy: try again.", detail: outcome.Detail),
            SignInResult.Disabled => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign-in refused", detail: outcome.Detail),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Unknown user name or wrong password."),
        };
    }
}
