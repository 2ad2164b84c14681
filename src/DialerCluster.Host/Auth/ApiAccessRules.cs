using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace DialerCluster.Host.Auth;

/// <summary>What a route needs beyond its policy: the agent in the path must be the caller, or the campaign or case must be one of the caller's campaigns.</summary>
public enum AccessScope
{
    None,

    /// <summary>/api/agents/{id}/…: an agent only as itself (supervisors and admins as anyone).</summary>
    AgentSelf,

    /// <summary>Agent-self, and the <c>campaignId</c> query value must be one of the agent's campaigns.</summary>
    AgentSelfInCampaign,

    /// <summary>/api/campaigns/{id}/…: an agent only in a campaign it is assigned to.</summary>
    Campaign,

    /// <summary>/api/cases/{id}: an agent only for a case of one of its campaigns.</summary>
    Case,

    /// <summary>
    /// PATCH /api/cases/{id}: as <see cref="Case"/>, and an agent edits the card (status, form, note) but neither
    /// raises priority nor gives the case to someone else: it may only take an unowned case as its own.
    /// </summary>
    CaseEdit,
}

/// <summary>One route's access rule: who may call it (<see cref="Policy"/>; null = anyone) and the scope checked on top.</summary>
public sealed record ApiAccessRule(string? Policy, AccessScope Scope = AccessScope.None);

/// <summary>
/// Every API route and who may call it, in one table a reviewer reads in a minute. Routes are keyed by method
/// and pattern with parameter names erased ("GET /api/cases/{}"), so the table does not depend on how an
/// endpoint names its parameters. An /api route missing here is refused to all but admins (fail closed), and
/// a test fails naming it.
/// </summary>
public static partial class ApiAccessRules
{
    private static readonly ApiAccessRule Anyone = new(null);
    private static readonly ApiAccessRule SignedIn = new(DialerPolicies.SignedIn);
    private static readonly ApiAccessRule Management = new(DialerPolicies.Management);
    private static readonly ApiAccessRule Admin = new(DialerPolicies.Admin);
    private static readonly ApiAccessRule AgentSelf = new(DialerPolicies.SignedIn, AccessScope.AgentSelf);
    private static readonly ApiAccessRule InCampaign = new(DialerPolicies.SignedIn, AccessScope.Campaign);
    private static readonly ApiAccessRule OnCase = new(DialerPolicies.SignedIn, AccessScope.Case);

    /// <summary>Refused to all but admins: an endpoint nobody classified yet.</summary>
    public static readonly ApiAccessRule Unlisted = Admin;

    public static readonly FrozenDictionary<string, ApiAccessRule> Table = new Dictionary<string, ApiAccessRule>(StringComparer.Ordinal)
    {
        ["POST /api/auth/login"] = Anyone,
        ["POST /api/auth/token"] = Anyone,
        ["POST /api/auth/refresh"] = Anyone,
        ["POST /api/auth/logout"] = Anyone,
        ["GET /api/auth/me"] = SignedIn,

        // Supervisors manage agent users only; the endpoints refuse them any other role (403).
        ["GET /api/users"] = Management,
        ["POST /api/users"] = Management,
        ["PATCH /api/users/{}"] = Management,
        ["POST /api/users/{}/password"] = Management,
        ["DELETE /api/users/{}"] = Admin,
        ["GET /api/audit"] = Management,

        ["GET /api/campaigns"] = SignedIn,
        ["POST /api/campaigns"] = Management,
        ["GET /api/campaigns/{}"] = InCampaign,
        ["PATCH /api/campaigns/{}"] = Management,
        ["PUT /api/campaigns/{}/agents/{}"] = Management,
        ["DELETE /api/campaigns/{}/agents/{}"] = Management,
        ["POST /api/campaigns/{}/cases"] = Management,
        ["GET /api/campaigns/{}/cases"] = InCampaign,

        ["GET /api/agents"] = Management,
        ["POST /api/agents"] = Management,
        ["GET /api/agents/{}"] = AgentSelf,
        ["PUT /api/agents/{}/status"] = AgentSelf,
        ["POST /api/agents/{}/next-case"] = new(DialerPolicies.SignedIn, AccessScope.AgentSelfInCampaign),
        ["POST /api/agents/{}/complete"] = AgentSelf,
        ["GET /api/agents/{}/reminders"] = AgentSelf,

        ["POST /api/contact-groups/import"] = Management,
        ["GET /api/contact-groups/imports/{}/rejected.csv"] = Management,

        ["GET /api/cases/{}"] = OnCase,
        ["PATCH /api/cases/{}"] = new(DialerPolicies.SignedIn, AccessScope.CaseEdit),

        ["GET /api/dnc"] = Management,
        ["POST /api/dnc"] = Management,
        ["DELETE /api/dnc/{}"] = Management,
        ["GET /api/dnc/entries"] = Management,
        ["POST /api/dnc/import"] = Management,

        ["GET /api/reports/{}"] = Management,
        ["GET /api/reports/{}/export"] = Management,

        ["GET /api/calls"] = Management,
        ["GET /api/calls/{}"] = Management,
        ["PUT /api/calls/{}/rating"] = Management,

        // Everyone's callbacks to supervisors; an agent gets only its own (the endpoint narrows it).
        ["GET /api/reminders"] = SignedIn,

        ["POST /api/agents/{}/force-break"] = Management,
        ["POST /api/agents/{}/log-out"] = Management,
        ["GET /api/agents/{}/history"] = AgentSelf,
        ["PUT /api/cases/{}/owner"] = Management,

        ["GET /api/monitor"] = Management,
        ["GET /api/monitor/stream"] = Management,

        ["GET /api/cluster"] = Management,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>"GET /api/cases/{}" for method GET and pattern "/api/cases/{id:long}/".</summary>
    public static string Key(string method, string routePattern)
    {
        var path = Parameter().Replace(routePattern.Trim(), "{}").TrimEnd('/');
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        return method.ToUpperInvariant() + " " + path.ToLowerInvariant();
    }

    public static bool IsApiRoute(string routePattern) =>
        routePattern.TrimStart('/').StartsWith("api/", StringComparison.OrdinalIgnoreCase);

    public static ApiAccessRule For(string method, string routePattern) =>
        Table.TryGetValue(Key(method, routePattern), out var rule) ? rule : Unlisted;

    public static bool IsListed(string method, string routePattern) => Table.ContainsKey(Key(method, routePattern));

    [GeneratedRegex(@"\{[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
