using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth.Sessions;
using DialerCluster.Host.Auth.SignIn;

namespace DialerCluster.Host.Auth.Users;

/// <summary>
/// Users over the user store: names by the rules of <see cref="UserNames"/>, passwords hashed in the
/// <see cref="PasswordWork"/> queue, and every change that ends sessions applied to this node's
/// <see cref="SessionRegistry"/> at once (the other nodes follow within their poll interval).
/// </summary>
internal sealed class UserDirectory(IUserStore users, PasswordWork passwords, SessionRegistry sessions, SignInThrottle throttle, [FromKeyedServices(DialerClock.Key)] TimeProvider time)
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => users.CountAsync(cancellationToken);

    /// <summary>The user a typed name means (case, width and compatibility forms ignored); null when the name cannot be one.</summary>
    public Task<UserRecord?> FindAsync(string userName, CancellationToken cancellationToken) =>
        UserNames.TryParse(userName, out var name, out _) ? users.FindByNameKeyAsync(name.Key, cancellationToken) : Task.FromResult<UserRecord?>(null);

    public Task<UserRecord?> FindByKeyAsync(string key, CancellationToken cancellationToken) => users.FindByNameKeyAsync(key, cancellationToken);

    public Task<UserRecord?> GetAsync(long userId, CancellationToken cancellationToken) => users.GetAsync(userId, cancellationToken);

    public Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken) => users.ListAsync(cancellationToken);

    /// <summary>Checks a new user; the errors name each bad field. Nothing is stored when there are errors.</summary>
    public static IReadOnlyList<FieldError> Validate(string? userName, string? password, string? role, long? agentId, out UserName name)
    {
        var errors = new List<FieldError>();
        if (!UserNames.TryParse(userName, out name, out var nameReason))
        {
            errors.Add(new FieldError("userName", nameReason));
        }

        if (PasswordRefusal(password) is { } passwordReason)
        {
            errors.Add(new FieldError("password", passwordReason));
        }

        if (RoleRefusal(role, agentId) is { } roleError)
        {
            errors.Add(roleError);
        }

        return errors;
    }

    public static string? PasswordRefusal(string? password) =>
        string.IsNullOrEmpty(password) ? "is required"
        : password.Length < AuthOptions.MinPasswordLength ? $"must be at least {AuthOptions.MinPasswordLength} characters"
        : null;

    /// <summary>An agent acts as exactly one agent record; supervisors and admins as none.</summary>
    public static FieldError? RoleRefusal(string? role, long? agentId) =>
        string.IsNullOrWhiteSpace(role) ? new FieldError("role", $"is required (one of {string.Join(", ", DialerRoles.All)})")
        : !DialerRoles.IsKnown(role) ? new FieldError("role", $"must be one of {string.Join(", ", DialerRoles.All)}")
        : role == DialerRoles.Agent && agentId is null ? new FieldError("agentId", "is required for an agent (the agent record the user acts as)")
        : role != DialerRoles.Agent && agentId is not null ? new FieldError("agentId", "only agents are linked to an agent record")
        : null;

    /// <summary>
    /// The name if it is free and looks like no other user's; otherwise the 409 reason. The store's unique key is the
    /// last word on "free"; look-alikes are checked here.
    /// </summary>
    public async Task<string?> NameConflictAsync(UserName name, CancellationToken cancellationToken)
    {
        if (await users.FindByNameKeyAsync(name.Key, cancellationToken) is { } same)
        {
            return $"'{name.Name}' is taken (by '{same.UserName}': names differing only in case or width are the same)";
        }

        return await users.FindBySkeletonAsync(name.Skeleton, cancellationToken) is { } lookAlike
            ? $"'{name.Name}' looks like the existing user '{lookAlike.UserName}'"
            : null;
    }

    /// <summary>Null when the hashing queue is full. Throws <see cref="DuplicateKeyException"/> when the name is taken.</summary>
    public async Task<UserRecord?> CreateAsync(UserName name, string password, string role, long? agentId, CancellationToken cancellationToken)
    {
        var hash = await passwords.HashAsync(password, cancellationToken);
        return hash is null ? null : await users.CreateAsync(new NewUser(name.Name, name.Key, name.Skeleton, hash, role, agentId), cancellationToken);
    }

    /// <summary>
    /// A user the node makes as it starts (the first admin, the demo's logins): a name breaking the rules is a fault of
    /// the configuration, and nothing else hashes then, so a full queue is one too. Throws <see cref="DuplicateKeyException"/>
    /// when another node made it a moment ago.
    /// </summary>
    public async Task<UserRecord> CreateAtStartAsync(string userName, string password, string role, long? agentId, CancellationToken cancellationToken)
    {
        if (!UserNames.TryParse(userName, out var name, out var reason))
        {
            throw new InvalidOperationException($"Auth: user name '{userName}' {reason}");
        }

        return await CreateAsync(name, password, role, agentId, cancellationToken)
            ?? throw new InvalidOperationException($"Auth: the password hashing queue refused the start-up user '{userName}'");
    }

    /// <summary>Changes the user and ends its sessions, here at once. Null when there is no such user.</summary>
    public async Task<UserRecord?> ChangeAsync(long userId, UserChange change, CancellationToken cancellationToken)
    {
        var changed = await users.ChangeAsync(userId, change, time.GetUtcNow(), cancellationToken);
        sessions.UserChanged(userId);
        if (changed is not null && (change.PasswordHash is not null || change.Disabled == false))
        {
            throttle.Forgive(UserNames.Key(changed.UserName));
        }

        return changed;
    }

    /// <summary>A new password (hashed in the queue): the user's sessions end and a lockout lifts. Null hash: the queue is full.</summary>
    public async Task<(bool Busy, UserRecord? User)> SetPasswordAsync(long userId, string password, CancellationToken cancellationToken)
    {
        var hash = await passwords.HashAsync(password, cancellationToken);
        return hash is null ? (true, null) : (false, await ChangeAsync(userId, new UserChange { PasswordHash = hash }, cancellationToken));
    }

    public async Task<bool> DeleteAsync(long userId, CancellationToken cancellationToken)
    {
        var deleted = await users.DeleteAsync(userId, time.GetUtcNow(), cancellationToken);
        sessions.UserChanged(userId);
        return deleted;
    }

    public Task LockAsync(long userId, DateTimeOffset until, CancellationToken cancellationToken) =>
        users.SetLockedUntilAsync(userId, until, cancellationToken);
}
