using System.Security.Claims;

namespace DialerCluster.Host.Auth;

/// <summary>Who made a request, as the access rules and the pages need it.</summary>
public sealed record SignedInUser(string UserName, string Role, long? AgentId)
{
    public bool IsManagement => DialerRoles.IsManagement(Role);

    public static SignedInUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.Identity.Name is not { Length: > 0 } name)
        {
            return null;
        }

        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (!DialerRoles.IsKnown(role))
        {
            return null;
        }

        long? agentId = long.TryParse(principal.FindFirstValue(DialerClaimTypes.AgentId), out var id) ? id : null;
        return new SignedInUser(name, role!, agentId);
    }

    public ClaimsPrincipal ToPrincipal(string authenticationScheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, UserName), new(ClaimTypes.Role, Role) };
        if (AgentId is { } agentId)
        {
            claims.Add(new Claim(DialerClaimTypes.AgentId, agentId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
