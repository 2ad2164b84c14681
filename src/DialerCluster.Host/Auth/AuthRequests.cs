namespace DialerCluster.Host.Auth;

public sealed record SignInRequest(string? UserName, string? Password);

public sealed record NewUserRequest(string? UserName, string? Password, string? Role, long? AgentId);

public sealed record UserView(long Id, string UserName, string Role, long? AgentId);

/// <summary>The signed-in user as the pages see it; an agent's campaigns drive the desk's campaign picker.</summary>
public sealed record MeView(string UserName, string Role, long? AgentId, string? AgentName, IReadOnlyList<long> CampaignIds);
