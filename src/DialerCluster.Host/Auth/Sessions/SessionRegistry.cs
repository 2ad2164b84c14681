using System.Collections.Concurrent;
using System.Security.Claims;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Auth.Sessions;

/// <summary>
/// Whether a cookie's or token's session is still current, answered from memory on every request: the session has
/// not ended (logout), and its user still exists, is enabled and is at the epoch the session began at. A user is
/// read from the database once per node and then kept; a change on this node is applied here at once, a change on
/// another node arrives through <see cref="SessionFollower"/> within its poll interval (bounded staleness).
/// </summary>
internal sealed class SessionRegistry(IUserStore users, AuthOptions options)
{
    private readonly ConcurrentDictionary<long, UserSessions> _users = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    // Counts user changes, so a read that raced a change is not kept as if it were current.
    private long _changes;

    /// <summary>How long an ended session is remembered: no cookie or access token of it can live longer.</summary>
    public TimeSpan EndedRetention { get; } = (options.CookieLifetime > options.TokenLifetime ? options.CookieLifetime : options.TokenLifetime) + TimeSpan.FromMinutes(5);

    public int UsersKnown => _users.Count;

    public ValueTask<bool> IsCurrentAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SessionClaims.From(principal) is not { } session || _ended.ContainsKey(session.SessionId))
        {
            return ValueTask.FromResult(false);
        }

        return _users.TryGetValue(session.UserId, out var known)
            ? ValueTask.FromResult(known.Admits(session))
            : LoadAndCheckAsync(session, cancellationToken);
    }

    /// <summary>The session ended here or on another node: refuse it from now on.</summary>
    public void Ended(string sessionId, DateTimeOffset at) => _ended[sessionId] = at + EndedRetention;

    /// <summary>The user changed (here or on another node): read it again at its next request.</summary>
    public void UserChanged(long userId)
    {
        Interlocked.Increment(ref _changes);
        _users.TryRemove(userId, out _);
    }

    /// <summary>Drops ended sessions none of whose cookies or tokens can still be valid.</summary>
    public void ForgetEndedBefore(DateTimeOffset now)
    {
        foreach (var (sessionId, forgetAt) in _ended)
        {
            if (forgetAt <= now)
            {
                _ended.TryRemove(sessionId, out _);
            }
        }
    }

    private async ValueTask<bool> LoadAndCheckAsync(SessionClaims session, CancellationToken cancellationToken)
    {
        while (true)
        {
            var before = Interlocked.Read(ref _changes);
            var user = await users.GetAsync(session.UserId, cancellationToken);

            // A deleted user stays refused: user ids are never reused.
            var known = user is null ? UserSessions.Gone : new UserSessions(user.SessionEpoch, user.Disabled);
            _users[session.UserId] = known;
            if (Interlocked.Read(ref _changes) == before)
            {
                return known.Admits(session);
            }

            _users.TryRemove(new KeyValuePair<long, UserSessions>(session.UserId, known));

            // A user changed while this one was read: it may have been this one, so read it again.
        }
    }

    private sealed record UserSessions(long Epoch, bool Disabled)
    {
        public static readonly UserSessions Gone = new(-1, true);

        public bool Admits(SessionClaims session) => !Disabled && Epoch == session.Epoch;
    }
}
