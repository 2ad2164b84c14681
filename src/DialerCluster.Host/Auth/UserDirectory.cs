using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Stores;
using Microsoft.AspNetCore.Identity;

namespace DialerCluster.Host.Auth;

/// <summary>Users with hashed passwords (ASP.NET Identity's PBKDF2 <see cref="PasswordHasher{TUser}"/>) over the user store.</summary>
internal sealed class UserDirectory(IUserStore users)
{
    public const int MaxUserNameLength = 100;

    private readonly PasswordHasher<UserRecord> _hasher = new();

    /// <summary>The user, when the name exists and the password matches; null otherwise (never says which).</summary>
    public async Task<SignedInUser?> VerifyAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = await users.FindByNameAsync(userName.Trim(), cancellationToken);
        if (user is null)
        {
            // Hash anyway so a missing user costs the same time as a wrong password.
            _hasher.HashPassword(Placeholder, password);
            return null;
        }

        var verdict = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        return verdict == PasswordVerificationResult.Failed ? null : new SignedInUser(user.UserName, user.Role, user.AgentId);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => users.CountAsync(cancellationToken);

    public Task<UserRecord?> FindAsync(string userName, CancellationToken cancellationToken) => users.FindByNameAsync(userName, cancellationToken);

    /// <summary>Checks the request; the errors name each bad field. Nothing is stored when there are errors.</summary>
    public static IReadOnlyList<FieldError> Validate(string? userName, string? password, string? role, long? agentId)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(userName))
        {
            errors.Add(new FieldError("userName", "is required"));
        }
        else if (userName.Trim().Length > MaxUserNameLength)
        {
            errors.Add(new FieldError("userName", $"must be at most {MaxUserNameLength} characters"));
        }

        if (string.IsNullOrEmpty(password))
        {
            errors.Add(new FieldError("password", "is required"));
        }
        else if (password.Length < AuthOptions.MinPasswordLength)
        {
            errors.Add(new FieldError("password", $"must be at least {AuthOptions.MinPasswordLength} characters"));
        }

        if (string.IsNullOrWhiteSpace(role))
        {
            errors.Add(new FieldError("role", $"is required (one of {string.Join(", ", DialerRoles.All)})"));
        }
        else if (!DialerRoles.IsKnown(role))
        {
            errors.Add(new FieldError("role", $"must be one of {string.Join(", ", DialerRoles.All)}"));
        }
        else if (role == DialerRoles.Agent && agentId is null)
        {
            errors.Add(new FieldError("agentId", "is required for an agent (the agent record the user acts as)"));
        }
        else if (role != DialerRoles.Agent && agentId is not null)
        {
            errors.Add(new FieldError("agentId", "only agents are linked to an agent record"));
        }

        return errors;
    }

    /// <summary>Throws <see cref="DuplicateKeyException"/> when the name is taken.</summary>
    public Task<UserRecord> CreateAsync(string userName, string password, string role, long? agentId, CancellationToken cancellationToken) =>
        users.CreateAsync(userName.Trim(), _hasher.HashPassword(Placeholder, password), role, agentId, cancellationToken);

    // PasswordHasher does not read the user; one placeholder serves every hash.
    private static readonly UserRecord Placeholder = new(0, string.Empty, string.Empty, DialerRoles.Agent, null);
}
