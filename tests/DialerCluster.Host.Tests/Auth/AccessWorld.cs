using System.Net;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>Who calls in an access test.</summary>
public enum Caller
{
    Anonymous,

    /// <summary>Agent user linked to agent X, assigned to campaign A only.</summary>
    Agent,
    Supervisor,
    Admin,
}

/// <summary>
/// One host with two campaigns (A: the agent's, B: not), two agents (X: the signed-in agent, Y: someone else),
/// a case in each campaign, and a signed-in client per role.
/// </summary>
public sealed class AccessWorld : IAsyncLifetime
{
    public const string AgentPassword = "agent-pass-123";
    public const string SupervisorPassword = "super-pass-123";

    private readonly Dictionary<Caller, HttpClient> _clients = [];

    public DialerApiFactory Factory { get; } = new();

    public long CampaignA { get; private set; }

    public long CampaignB { get; private set; }

    public long AgentX { get; private set; }

    public long AgentY { get; private set; }

    public long CaseA { get; private set; }

    public long CaseB { get; private set; }

    /// <summary>An agent user and a supervisor user nobody signs in as: changing them signs nobody out.</summary>
    public long UserOther { get; private set; }

    public long UserSam { get; private set; }

    public HttpClient Client(Caller caller) => _clients[caller];

    /// <summary>Fills {A}, {B}, {X}, {Y}, {caseA}, {caseB} into a route from the test table.</summary>
    public string Resolve(string path) => path
        .Replace("{A}", CampaignA.ToString(), StringComparison.Ordinal)
        .Replace("{B}", CampaignB.ToString(), StringComparison.Ordinal)
        .Replace("{X}", AgentX.ToString(), StringComparison.Ordinal)
        .Replace("{Y}", AgentY.ToString(), StringComparison.Ordinal)
        .Replace("{caseA}", CaseA.ToString(), StringComparison.Ordinal)
        .Replace("{caseB}", CaseB.ToString(), StringComparison.Ordinal)
        .Replace("{userOther}", UserOther.ToString(), StringComparison.Ordinal)
        .Replace("{userSam}", UserSam.ToString(), StringComparison.Ordinal);

    public async Task InitializeAsync()
    {
        var admin = await Factory.AdminAsync();
        _clients[Caller.Admin] = admin;
        _clients[Caller.Anonymous] = Factory.CreateClient();

        // As the pages do: a cookie sign-in must come from the site itself.
        _clients[Caller.Anonymous].DefaultRequestHeaders.Add("Origin", "http://localhost");
        CampaignA = (await admin.PostAsync("/api/campaigns", new { name = "A" }, HttpStatusCode.Created)).Id();
        CampaignB = (await admin.PostAsync("/api/campaigns", new { name = "B" }, HttpStatusCode.Created)).Id();
        AgentX = (await admin.PostAsync("/api/agents", new { name = "Xena" }, HttpStatusCode.Created)).Id();
        AgentY = (await admin.PostAsync("/api/agents", new { name = "Yuri" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{CampaignA}/agents/{AgentX}");
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{CampaignB}/agents/{AgentY}");
        var phones = ApiCalls.Phones(2);
        CaseA = (await admin.PostAsync($"/api/campaigns/{CampaignA}/cases", new { contact = new { name = "Case A", phone = phones[0] } }))
            .GetProperty("caseIds")[0].GetInt64();
        CaseB = (await admin.PostAsync($"/api/campaigns/{CampaignB}/cases", new { contact = new { name = "Case B", phone = phones[1] } }))
            .GetProperty("caseIds")[0].GetInt64();
        await admin.PostAsync("/api/users", new { userName = "xena", password = AgentPassword, role = "agent", agentId = AgentX }, HttpStatusCode.Created);
        await admin.PostAsync("/api/users", new { userName = "sue", password = SupervisorPassword, role = "supervisor" }, HttpStatusCode.Created);
        UserSam = (await admin.PostAsync("/api/users", new { userName = "sam", password = SupervisorPassword, role = "supervisor" }, HttpStatusCode.Created)).Id();
        UserOther = (await admin.PostAsync("/api/users", new { userName = "yuri", password = AgentPassword, role = "agent", agentId = AgentY }, HttpStatusCode.Created)).Id();
        _clients[Caller.Agent] = await Factory.SignedInAsync("xena", AgentPassword);
        _clients[Caller.Supervisor] = await Factory.SignedInAsync("sue", SupervisorPassword);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        await Factory.DisposeAsync();
    }
}
