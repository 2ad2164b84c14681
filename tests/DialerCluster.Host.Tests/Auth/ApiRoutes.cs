namespace DialerCluster.Host.Tests.Auth;

/// <summary>Every API endpoint, called the way each access rule has to be proven. Placeholders: see <see cref="AccessWorld.Resolve"/>.</summary>
public static class ApiRoutes
{
    private static readonly Caller[] Everyone = [Caller.Agent, Caller.Supervisor, Caller.Admin];
    private static readonly Caller[] Managers = [Caller.Supervisor, Caller.Admin];
    private static readonly Caller[] Agents = [Caller.Agent];
    private static readonly Caller[] Nobody = [];

    /// <summary>Body marker: send a small CSV upload (the import endpoint only matches multipart requests).</summary>
    public static readonly object Multipart = new();

    public static readonly IReadOnlyList<ApiRoute> All =
    [
        new("POST", "/api/auth/token", "/api/auth/token", new { userName = "admin", password = "admin-pass-for-tests" }, [Caller.Anonymous], Nobody),
        new("POST", "/api/auth/login", "/api/auth/login", new { userName = "admin", password = "admin-pass-for-tests" }, [Caller.Anonymous], Nobody),
        new("POST", "/api/auth/refresh", "/api/auth/refresh", new { refreshToken = "not-a-token" }, Nobody, Nobody, "anyone may try; a bad token is a 401"),
        new("POST", "/api/auth/logout", "/api/auth/logout", null, [Caller.Anonymous], Nobody),
        new("GET", "/api/auth/me", "/api/auth/me", null, Everyone, Nobody),

        new("GET", "/api/users", "/api/users", null, Managers, Agents),
        new("POST", "/api/users", "/api/users", new { userName = "new-user", password = "long-enough-1", role = "supervisor" }, [Caller.Admin], [Caller.Agent, Caller.Supervisor], "a supervisor user"),
        new("POST", "/api/users", "/api/users", new { userName = "new-agent-user", password = "long-enough-1", role = "agent", agentName = "New Agent" }, Managers, Agents, "an agent user"),
        new("PATCH", "/api/users/{id}", "/api/users/{userOther}", new { disabled = false }, Managers, Agents, "an agent user"),
        new("PATCH", "/api/users/{id}", "/api/users/{userSam}", new { disabled = false }, [Caller.Admin], [Caller.Agent, Caller.Supervisor], "a supervisor user"),
        new("POST", "/api/users/{id}/password", "/api/users/{userOther}/password", new { password = "another-pass-1" }, Managers, Agents),
        new("DELETE", "/api/users/{id}", "/api/users/999999", null, [Caller.Admin], [Caller.Agent, Caller.Supervisor]),
        new("GET", "/api/audit", "/api/audit", null, Managers, Agents),

        new("GET", "/api/campaigns", "/api/campaigns", null, Everyone, Nobody),
        new("POST", "/api/campaigns", "/api/campaigns", new { name = "New campaign" }, Managers, Agents),
        new("GET", "/api/campaigns/{id}", "/api/campaigns/{A}", null, Everyone, Nobody, "the agent's campaign"),
        new("GET", "/api/campaigns/{id}", "/api/campaigns/{B}", null, Managers, Agents, "not the agent's campaign"),
        new("PATCH", "/api/campaigns/{id}", "/api/campaigns/{B}", new { maxAttempts = 4 }, Managers, Agents),
        new("PUT", "/api/campaigns/{id}/agents/{agentId}", "/api/campaigns/{B}/agents/{Y}", null, Managers, Agents),
        new("DELETE", "/api/campaigns/{id}/agents/{agentId}", "/api/campaigns/{B}/agents/{X}", null, Managers, Agents),
        new("POST", "/api/campaigns/{id}/cases", "/api/campaigns/{B}/cases", new { contact = new { name = "Walk-in", phone = "+4930190000001" } }, Managers, Agents),
        new("GET", "/api/campaigns/{id}/cases", "/api/campaigns/{A}/cases", null, Everyone, Nobody, "the agent's campaign"),
        new("GET", "/api/campaigns/{id}/cases", "/api/campaigns/{B}/cases?status=new", null, Managers, Agents, "not the agent's campaign"),

        new("GET", "/api/agents", "/api/agents", null, Managers, Agents),
        new("POST", "/api/agents", "/api/agents", new { name = "Zoe" }, Managers, Agents),
        new("GET", "/api/agents/{id}", "/api/agents/{X}", null, Everyone, Nobody, "the agent itself"),
        new("GET", "/api/agents/{id}", "/api/agents/{Y}", null, Managers, Agents, "another agent"),
        new("PUT", "/api/agents/{id}/status", "/api/agents/{X}/status", new { status = "break", reason = "Coffee" }, Everyone, Nobody, "the agent itself"),
        new("PUT", "/api/agents/{id}/status", "/api/agents/{Y}/status", new { status = "break", reason = "Coffee" }, Managers, Agents, "another agent"),
        new("POST", "/api/agents/{id}/next-case", "/api/agents/{X}/next-case?campaignId={A}", null, Everyone, Nobody, "itself, its campaign"),
        new("POST", "/api/agents/{id}/next-case", "/api/agents/{X}/next-case?campaignId={B}", null, Nobody, Agents, "itself, not its campaign"),
        new("POST", "/api/agents/{id}/next-case", "/api/agents/{Y}/next-case?campaignId={B}", null, Managers, Agents, "another agent"),
        new("POST", "/api/agents/{id}/complete", "/api/agents/{X}/complete", new { outcome = "talked" }, Everyone, Nobody, "the agent itself"),
        new("POST", "/api/agents/{id}/complete", "/api/agents/{Y}/complete", new { outcome = "talked" }, Managers, Agents, "another agent"),
        new("GET", "/api/agents/{id}/reminders", "/api/agents/{X}/reminders", null, Everyone, Nobody, "the agent itself"),
        new("GET", "/api/agents/{id}/reminders", "/api/agents/{Y}/reminders", null, Managers, Agents, "another agent"),

        new("POST", "/api/contact-groups/import", "/api/contact-groups/import", Multipart, Managers, Agents),
        new("GET", "/api/contact-groups/imports/{importId}/rejected.csv", "/api/contact-groups/imports/0123abcd/rejected.csv", null, Managers, Agents),

        new("GET", "/api/cases/{id}", "/api/cases/{caseA}", null, Everyone, Nobody, "a case of the agent's campaign"),
        new("GET", "/api/cases/{id}", "/api/cases/{caseB}", null, Managers, Agents, "a case of another campaign"),
        new("PATCH", "/api/cases/{id}", "/api/cases/{caseA}", new { note = "Called back" }, Everyone, Nobody, "a case of the agent's campaign"),
        new("PATCH", "/api/cases/{id}", "/api/cases/{caseB}", new { note = "Called back" }, Managers, Agents, "a case of another campaign"),
        new("PATCH", "/api/cases/{id}", "/api/cases/{caseA}", new { priority = "high" }, Managers, Agents, "raising priority"),
        new("PATCH", "/api/cases/{id}", "/api/cases/{caseA}", new { ownerAgentId = (long?)null }, Managers, Agents, "clearing the owner"),
        new("PATCH", "/api/cases/{id}", "/api/cases/{caseA}", new { ownerAgentId = 999_999 }, Managers, Agents, "giving the case to someone else"),
        new("PATCH", "/api/cases/{id}", "/api/cases/{caseA}", new { note = "As someone else", agentId = 999_999 }, Nobody, Agents, "saving as another agent"),

        new("GET", "/api/dnc", "/api/dnc", null, Managers, Agents),
        new("POST", "/api/dnc", "/api/dnc", new { phone = "+4930190000099", reason = "asked" }, Managers, Agents),
        new("DELETE", "/api/dnc/{phone}", "/api/dnc/+4930190000099", null, Managers, Agents),

        new("GET", "/api/dnc/entries", "/api/dnc/entries?search=4930", null, Managers, Agents),
        new("POST", "/api/dnc/import", "/api/dnc/import", Multipart, Managers, Agents),

        new("GET", "/api/reports/{report}", "/api/reports/funnel", null, Managers, Agents),
        new("GET", "/api/reports/{report}/export", "/api/reports/call-outcomes/export?format=csv", null, Managers, Agents),

        new("GET", "/api/calls", "/api/calls", null, Managers, Agents),
        new("GET", "/api/calls/{id}", "/api/calls/1", null, Managers, Agents),
        new("PUT", "/api/calls/{id}/rating", "/api/calls/1/rating", new { score = 3 }, Managers, Agents),

        new("GET", "/api/reminders", "/api/reminders", null, Everyone, Nobody),

        new("POST", "/api/agents/{id}/force-break", "/api/agents/{Y}/force-break", new { reason = "Coaching" }, Managers, Agents),
        new("POST", "/api/agents/{id}/log-out", "/api/agents/{Y}/log-out", null, Managers, Agents),
        new("GET", "/api/agents/{id}/history", "/api/agents/{X}/history", null, Everyone, Nobody, "the agent itself"),
        new("GET", "/api/agents/{id}/history", "/api/agents/{Y}/history", null, Managers, Agents, "another agent"),
        new("PUT", "/api/cases/{id}/owner", "/api/cases/{caseA}/owner", new { ownerAgentId = (long?)null }, Managers, Agents, "even in the agent's campaign"),

        new("GET", "/api/monitor", "/api/monitor", null, Managers, Agents),
        new("GET", "/api/monitor/stream", "/api/monitor/stream", null, Managers, Agents),

        new("GET", "/api/cluster", "/api/cluster", null, Managers, Agents),
    ];

    public static TheoryData<string> Named(Func<ApiRoute, bool> which)
    {
        var data = new TheoryData<string>();
        foreach (var route in All.Where(which))
        {
            data.Add(route.ToString());
        }

        return data;
    }

    public static ApiRoute ByName(string name) => All.Single(r => r.ToString() == name);
}
