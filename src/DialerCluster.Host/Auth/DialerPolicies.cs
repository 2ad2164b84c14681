namespace DialerCluster.Host.Auth;

/// <summary>Named authorization policies; what each API route needs is in <see cref="ApiAccessRules"/>.</summary>
public static class DialerPolicies
{
    /// <summary>Any signed-in user (agent, supervisor or admin).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Supervisor or admin: campaigns, assignments, imports, case creation, do-not-call, monitor.</summary>
    public const string Management = "management";

    /// <summary>Admin only: users.</summary>
    public const string Admin = "admin";
}
