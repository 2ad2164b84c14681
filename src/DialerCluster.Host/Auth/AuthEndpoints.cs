using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DialerCluster.Host.Auth;

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapDialerAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/token", TokenAsync);
        auth.MapPost("/logout", (Delegate)LogoutAsync);
        auth.MapGet("/me", (Delegate)MeAsync);
        app.MapPost("/api/users", CreateUserAsync).WithTags("Auth");
        return app;
    }

    /// <summary>Cookie sign-in for the pages.</summary>
    private static async Task<IResult> LoginAsync(SignInRequest? request, UserDirectory users, DialerMetrics metrics, HttpContext context)
    {
        var user = await users.VerifyAsync(request?.UserName, request?.Password, context.RequestAborted);
        if (user is null)
        {
            metrics.SignInFailed();
            return WrongCredentials();
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.Ok(await MeOfAsync(user, context));
    }

    /// <summary>Bearer token for API clients: {tokenType, accessToken, expiresIn, refreshToken}.</summary>
    private static async Task<IResult> TokenAsync(SignInRequest? request, UserDirectory users, DialerMetrics metrics, HttpContext context)
    {
        var user = await users.VerifyAsync(request?.UserName, request?.Password, context.RequestAborted);
        if (user is null)
        {
            metrics.SignInFailed();
        }

        return user is null
            ? WrongCredentials()
            : TypedResults.SignIn(user.ToPrincipal(BearerTokenDefaults.AuthenticationScheme), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> MeAsync(HttpContext context) =>
        SignedInUser.From(context.User) is { } user ? TypedResults.Ok(await MeOfAsync(user, context)) : TypedResults.Unauthorized();

    private static async Task<IResult> CreateUserAsync(NewUserRequest? request, UserDirectory users, HttpContext context)
    {
        if (request is null)
        {
            return Invalid([new FieldError("body", "is required: {userName, password, role, agentId?}")]);
        }

        var errors = UserDirectory.Validate(request.UserName, request.Password, request.Role, request.AgentId).ToList();
        if (errors.Count == 0 && request.AgentId is { } agentId)
        {
            var agents = context.RequestServices.GetService<IAgentStore>();
            if (agents is null || await agents.GetAsync(agentId, context.RequestAborted) is null)
            {
                errors.Add(new FieldError("agentId", $"no agent with id {agentId}"));
            }
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        try
        {
            var user = await users.CreateAsync(request.UserName!, request.Password!, request.Role!, request.AgentId, context.RequestAborted);
            return TypedResults.Created($"/api/users/{user.Id}", new UserView(user.Id, user.UserName, user.Role, user.AgentId));
        }
        catch (DuplicateKeyException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "User name taken",
                detail: $"userName: '{request.UserName!.Trim()}' already exists");
        }
    }

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

    private static IResult WrongCredentials() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Sign-in failed",
        detail: "Unknown user name or wrong password.");

    private static IResult Invalid(IEnumerable<FieldError> errors) => Results.ValidationProblem(
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()),
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The user cannot be created",
        detail: string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")));
}
