using System.Globalization;
using System.Security.Claims;

namespace DialerCluster.Host.Auth.Sessions;

/// <summary>The session a cookie or token belongs to, as sealed into it at sign-in.</summary>
internal sealed record SessionClaims(long UserId, string SessionId, long Epoch, long RefreshGeneration)
{
    /// <summary>Null for a ticket without a session (issued before sessions existed, or forged): such a ticket is refused.</summary>
    public static SessionClaims? From(ClaimsPrincipal principal) =>
        Long(principal, DialerClaimTypes.UserId) is { } user
        && principal.FindFirstValue(DialerClaimTypes.SessionId) is { Length: > 0 } session
        && Long(principal, DialerClaimTypes.SessionEpoch) is { } epoch
            ? new SessionClaims(user, session, epoch, Long(principal, DialerClaimTypes.RefreshGeneration) ?? 0)
            : null;

    public IEnumerable<Claim> ToClaims() =>
    [
        new(DialerClaimTypes.UserId, UserId.ToString(CultureInfo.InvariantCulture)),
        new(DialerClaimTypes.SessionId, SessionId),
        new(DialerClaimTypes.SessionEpoch, Epoch.ToString(CultureInfo.InvariantCulture)),
        new(DialerClaimTypes.RefreshGeneration, RefreshGeneration.ToString(CultureInfo.InvariantCulture)),
    ];

    private static long? Long(ClaimsPrincipal principal, string type) =>
        long.TryParse(principal.FindFirstValue(type), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
