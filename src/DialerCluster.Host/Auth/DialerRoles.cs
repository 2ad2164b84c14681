namespace DialerCluster.Host.Auth;

/// <summary>The three roles a user has exactly one of. Wire names are the role claim values.</summary>
public static class DialerRoles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Agent, Supervisor, Admin];

    public static bool IsKnown(string? role) => role is Agent or Supervisor or Admin;

    public static bool IsManagement(string? role) => role is Supervisor or Admin;
}
