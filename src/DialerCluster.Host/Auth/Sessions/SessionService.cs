using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.Extensions.Options;

namespace DialerCluster.Host.Auth.Sessions;

/// <summary>Why a refresh token was refused (all are a 401 to the client; the log and the audit tell them apart).</summary>
internal enum RefreshRefusal
{
    None,
    Unreadable,
    Expired,
    SessionEnded,

    /// <summary>An older refresh token of the session came back: someone kept a copy, so the whole session ends.</summary>
    Replayed,
}

/// <summary>
/// Begins, ends and refreshes sign-in sessions. Each sign-in is a row (its id sealed into the cookie or the tokens
/// with the user's id and session epoch); a logout ends that row, here at once and on the other nodes within their
/// poll interval; a refresh moves the session's refresh generation on, so every older refresh token stops working.
/// </summary>
internal sealed class SessionService(
    IAuthSessionStore store,
    IUserStore users,
    SessionRegistry registry,
    IAuditLog audit,
    IOptionsMonitor<BearerTokenOptions> bearer,
    [FromKeyedServices(DialerClock.Key)] TimeProvider time,
    ILogger<SessionService> logger)
{
    /// <summary>A principal for a new session of <paramref name="user"/>, its row already stored.</summary>
    public async Task<ClaimsPrincipal> BeginAsync(UserRecord user, AuthSessionKind kind, string? address, string scheme, CancellationToken cancellationToken)
    {
        var sessionId = Base64Url(RandomNumberGenerator.GetBytes(16));
        await store.StartAsync(new AuthSessionStart(sessionId, user.Id, kind, time.GetUtcNow(), address), cancellationToken);
        return Principal(user, new SessionClaims(user.Id, sessionId, user.SessionEpoch, 0), scheme);
    }

    /// <summary>Ends the caller's session (cookie or bearer, access and refresh tokens alike). False when it had none.</summary>
    public async Task<bool> EndAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SessionClaims.From(principal) is not { } session)
        {
            return false;
        }

        var at = time.GetUtcNow();
        registry.Ended(session.SessionId, at);
        return await store.RevokeAsync(session.SessionId, at, cancellationToken);
    }

    /// <summary>The principal for the next pair of tokens, or why the refresh token is refused.</summary>
    public async Task<(ClaimsPrincipal? Principal, RefreshRefusal Refusal)> RefreshAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var ticket = string.IsNullOrEmpty(refreshToken)
            ? null
            : bearer.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(refreshToken);
        if (ticket is null || SessionClaims.From(ticket.Principal) is not { } session)
        {
            return (null, RefreshRefusal.Unreadable);
        }

        if (ticket.Properties.ExpiresUtc is not { } expires || expires <= time.GetUtcNow())
        {
            return (null, RefreshRefusal.Expired);
        }

        // The database, not this node's memory: a refresh is rare, and must be exact across nodes.
        var user = await users.GetAsync(session.UserId, cancellationToken);
        var row = await store.GetAsync(session.SessionId, cancellationToken);
        if (user is null || user.Disabled || user.SessionEpoch != session.Epoch || row is null || row.RevokedAt is not null || row.UserId != user.Id)
        {
            return (null, RefreshRefusal.SessionEnded);
        }

        if (row.RefreshGeneration != session.RefreshGeneration || !await store.RotateAsync(session.SessionId, session.RefreshGeneration, cancellationToken))
        {
            // Reuse of a retired refresh token (OAuth 2.0 Security BCP, refresh token rotation): end the session for everyone.
            await EndAsync(ticket.Principal, cancellationToken);
            logger.LogWarning("Sessions: a retired refresh token of user {UserId} came back; session ended", user.Id);
            await audit.AppendAsync(
                new AuditEntry(time.GetUtcNow(), user.UserName, "session.refresh_replayed", "user:" + user.Id.ToString(CultureInfo.InvariantCulture), "a retired refresh token was used again; the session was ended"),
                cancellationToken);
            return (null, RefreshRefusal.Replayed);
        }

        var next = session with { RefreshGeneration = session.RefreshGeneration + 1 };
        return (Principal(user, next, BearerTokenDefaults.AuthenticationScheme), RefreshRefusal.None);
    }

    private static ClaimsPrincipal Principal(UserRecord user, SessionClaims session, string scheme)
    {
        var principal = new SignedInUser(user.UserName, user.Role, user.AgentId).ToPrincipal(scheme);
        ((ClaimsIdentity)principal.Identity!).AddClaims(session.ToClaims());
        return principal;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
