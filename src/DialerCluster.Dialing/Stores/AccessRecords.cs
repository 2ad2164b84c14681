namespace DialerCluster.Dialing.Stores;

/// <param name="UserName">As it is shown: NFKC-normalised, case kept.</param>
/// <param name="SessionEpoch">Rises whenever the user's sessions must end; a session issued at another epoch is refused.</param>
/// <param name="LockedUntil">Sign-in refused until then after repeated failures.</param>
public sealed record UserRecord(
    long Id,
    string UserName,
    string PasswordHash,
    string Role,
    long? AgentId,
    bool Disabled,
    long SessionEpoch,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt);

/// <param name="NameKey">The case-folded name that must be unique (see the user-name rules).</param>
/// <param name="NameSkeleton">How the name looks, to find look-alikes of it.</param>
public sealed record NewUser(string UserName, string NameKey, string NameSkeleton, string PasswordHash, string Role, long? AgentId);

/// <summary>What to change on a user; null leaves a field as it is. <see cref="ChangeAgent"/> with a null id unlinks.</summary>
public sealed record UserChange
{
    public string? Role { get; init; }

    public bool ChangeAgent { get; init; }

    public long? AgentId { get; init; }

    public bool? Disabled { get; init; }

    public string? PasswordHash { get; init; }
}

/// <summary>Cookie for the pages, bearer for API clients (an access token and a rotating refresh token).</summary>
public enum AuthSessionKind
{
    Cookie,
    Bearer,
}

public sealed record AuthSessionStart(string Id, long UserId, AuthSessionKind Kind, DateTimeOffset CreatedAt, string? Address);

public sealed record AuthSessionRecord(
    string Id,
    long UserId,
    AuthSessionKind Kind,
    DateTimeOffset CreatedAt,
    long RefreshGeneration,
    DateTimeOffset? RevokedAt);

/// <summary>
/// What other nodes must learn: one session ended (<see cref="SessionId"/> set), or every session of the user
/// (null: disabled, deleted, new password, new role or agent).
/// </summary>
public sealed record AuthChange(long Id, long UserId, string? SessionId, DateTimeOffset At);

