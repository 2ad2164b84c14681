using System.Text.Json;

namespace DialerCluster.Host.Auth;

public sealed record SignInRequest(string? UserName, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <param name="AgentId">Link an agent user to this existing agent record ...</param>
/// <param name="AgentName">... or create the agent record with this name and link it.</param>
public sealed record NewUserRequest(string? UserName, string? Password, string? Role, long? AgentId, string? AgentName = null);

/// <summary>PATCH /api/users/{id}: absent fields stay. <see cref="AgentId"/>: absent keeps the link, null unlinks, a number links.</summary>
public sealed record UserPatchBody
{
    public string? Role { get; init; }

    public JsonElement AgentId { get; init; }

    public bool? Disabled { get; init; }
}

public sealed record PasswordBody(string? Password);

/// <param name="LockedUntil">Sign-in refused until then after repeated failures; null when not locked.</param>
public sealed record UserView(
    long Id,
    string UserName,
    string Role,
    long? AgentId,
    string? AgentName,
    bool Disabled,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt);

public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Action, string? Subject, string? Detail);

/// <summary>The signed-in user as the pages see it; an agent's campaigns drive the desk's campaign picker.</summary>
public sealed record MeView(string UserName, string Role, long? AgentId, string? AgentName, IReadOnlyList<long> CampaignIds);
