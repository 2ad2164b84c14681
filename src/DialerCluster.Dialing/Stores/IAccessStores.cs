namespace DialerCluster.Dialing.Stores;

// Who may use the system and how that is remembered: users, their sign-in sessions, the audit log and the
// Data Protection key ring that seals cookies and tokens. SQLite and PostgreSQL implement each.

public interface IUserStore
{
    /// <summary>Throws <see cref="DuplicateKeyException"/> (field "userName") when the name key is taken.</summary>
    Task<UserRecord> CreateAsync(NewUser user, CancellationToken cancellationToken);

    Task<UserRecord?> GetAsync(long userId, CancellationToken cancellationToken);

    /// <summary>By the case-folded name key, so "Alice" and "alice" are the same user.</summary>
    Task<UserRecord?> FindByNameKeyAsync(string nameKey, CancellationToken cancellationToken);

    /// <summary>A user whose name looks like one with this skeleton, if any.</summary>
    Task<UserRecord?> FindBySkeletonAsync(string nameSkeleton, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies the change and ends every session of the user in the same transaction: the session epoch rises
    /// and an <see cref="AuthChange"/> tells the other nodes. A new password or enabling the user also lifts a
    /// lockout. Null when there is no such user. Throws <see cref="ArgumentException"/> for an unknown agent.
    /// </summary>
    Task<UserRecord?> ChangeAsync(long userId, UserChange change, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes the user and its sessions, and tells the other nodes. False when there was no such user.</summary>
    Task<bool> DeleteAsync(long userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sign-in refused until then (null lifts it); the user's sessions stay as they are.</summary>
    Task SetLockedUntilAsync(long userId, DateTimeOffset? until, CancellationToken cancellationToken);
}

/// <summary>Sign-in sessions (a page's cookie or an API client's bearer and refresh tokens) and how they end.</summary>
public interface IAuthSessionStore
{
    Task StartAsync(AuthSessionStart session, CancellationToken cancellationToken);

    Task<AuthSessionRecord?> GetAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Compare-and-set of the refresh generation: true when the session is live at <paramref name="expectedGeneration"/>
    /// and is now one further. Of two refreshes with the same token at most one succeeds.
    /// </summary>
    Task<bool> RotateAsync(string sessionId, long expectedGeneration, CancellationToken cancellationToken);

    /// <summary>Ends the session and tells the other nodes. False when it had already ended or never existed.</summary>
    Task<bool> RevokeAsync(string sessionId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sessions ended at or after <paramref name="since"/>: what a node must refuse when it starts.</summary>
    Task<IReadOnlyList<string>> RevokedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The newest change's id (0 when none): where a starting node begins to follow.</summary>
    Task<long> LastChangeAsync(CancellationToken cancellationToken);

    /// <summary>Changes after <paramref name="cursor"/> in id order. Ids are handed out in commit order, so none is skipped.</summary>
    Task<IReadOnlyList<AuthChange>> ChangesAfterAsync(long cursor, CancellationToken cancellationToken);

    /// <summary>Forgets sessions started before <paramref name="sessionsBefore"/> and changes logged before <paramref name="changesBefore"/>.</summary>
    Task PruneAsync(DateTimeOffset sessionsBefore, DateTimeOffset changesBefore, CancellationToken cancellationToken);
}


/// <summary>
/// The Data Protection key ring as XML elements by name. Synchronous because ASP.NET Core's key repository
/// contract is: it is read at start-up and when the ring is refreshed (about daily), never per request.
/// </summary>
public interface IKeyRingStore
{
    IReadOnlyList<string> ReadAll();

    /// <summary>Adds the element; a name already stored is kept as it is (keys are immutable once written).</summary>
    void Add(string name, string xml);
}
