using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DialerCluster.Host.Auth.Sessions;

/// <summary>
/// Right after authentication, for cookies and bearer tokens alike: a request whose session ended (logout, user
/// disabled, deleted, new password, new role) goes on as anonymous, so every rule after it answers 401, and a
/// session cookie of it is deleted. The check is two in-memory lookups (<see cref="SessionRegistry"/>): Next case
/// pays no query for it.
/// </summary>
internal sealed class SessionCheckMiddleware(RequestDelegate next, SessionRegistry registry)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && !await registry.IsCurrentAsync(context.User, context.RequestAborted))
        {
            if (context.User.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
            {
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            }

            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        await next(context);
    }
}
