using System.Globalization;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth;
using DialerCluster.Host.Auth.Users;

namespace DialerCluster.Host.Demo;

/// <summary>A demo login printed for people, and the agent it acts as.</summary>
internal sealed record DemoLogin(string UserName, string AgentName, long AgentId);

/// <summary>What the demo set up: its campaign, the people's logins and the agents only the simulation drives.</summary>
internal sealed record DemoWorld(long CampaignId, IReadOnlyList<DemoLogin> Logins, IReadOnlyList<long> SimulatedAgents);

/// <summary>
/// Sets up the demo once for the whole cluster (issue 15: at start-up it twice created "Bruno Costa" and "Chen Wei", and
/// the printed logins were linked to agents nobody had assigned). Every step looks before it creates, and the whole
/// set-up runs under one lease in the database, so restarts change nothing and nodes starting together do it once:
/// the others wait and then find it done. People's logins (alice, bruno, chen) and the simulated agents are different
/// agents, all assigned to the demo campaign: a simulated caller never drives a login printed for a person.
/// </summary>
internal sealed class DemoSetup(
    IGrainFactory grains,
    ICampaignStore campaigns,
    IAgentStore agents,
    IContactStore contacts,
    ICaseStore cases,
    ISetupLeaseStore leases,
    UserDirectory users,
    AuthOptions auth,
    TimeProvider time,
    ILogger<DemoSetup> logger)
{
    public const string CampaignName = "Demo: predictive sales";
    public const string SupervisorLogin = "supervisor";
    public const int Leads = 300;

    /// <summary>The people's logins: user name and the agent it acts as.</summary>
    public static readonly IReadOnlyList<(string UserName, string AgentName)> PeopleLogins =
        [("alice", "Alice Novak"), ("bruno", "Bruno Costa"), ("chen", "Chen Wei")];

    /// <summary>The agents the simulation drives; they have no login.</summary>
    public static readonly IReadOnlyList<string> SimulatedAgentNames = ["Demo caller 1", "Demo caller 2", "Demo caller 3"];

    private const string LeaseName = "demo-setup";

    // Long enough for the set-up (a second or two); a node that dies holding it delays the others by this at most.
    private static readonly TimeSpan LeaseLifetime = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _once = new(1, 1);
    private DemoWorld? _world;

    /// <summary>The demo, set up by this call or found set up; the same answer for every caller in this process.</summary>
    public async Task<DemoWorld> EnsureAsync(CancellationToken cancellationToken)
    {
        await _once.WaitAsync(cancellationToken);
        try
        {
            return _world ??= await UnderLeaseAsync(cancellationToken);
        }
        finally
        {
            _once.Release();
        }
    }

    private async Task<DemoWorld> UnderLeaseAsync(CancellationToken cancellationToken)
    {
        var holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        while (!await leases.TryAcquireAsync(LeaseName, holder, time.GetUtcNow(), LeaseLifetime, cancellationToken))
        {
            // Real time, not the host's clock: another node is doing the set-up now.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        try
        {
            return await SetUpAsync(cancellationToken);
        }
        finally
        {
            await leases.ReleaseAsync(LeaseName, holder, CancellationToken.None);
        }
    }

    private async Task<DemoWorld> SetUpAsync(CancellationToken cancellationToken)
    {
        if (await users.FindAsync(SupervisorLogin, cancellationToken) is null)
        {
            await users.CreateAtStartAsync(SupervisorLogin, auth.DemoPassword, DialerRoles.Supervisor, null, cancellationToken);
        }

        var known = await agents.ListAsync(cancellationToken);
        var logins = new List<DemoLogin>();
        foreach (var (userName, agentName) in PeopleLogins)
        {
            if (await LoginAsync(userName, agentName, known, cancellationToken) is { } login)
            {
                logins.Add(login);
            }
        }

        var simulated = new List<long>();
        foreach (var name in SimulatedAgentNames)
        {
            simulated.Add((known.FirstOrDefault(a => a.Name == name) ?? await agents.CreateAsync(name, cancellationToken)).Id);
        }

        var campaignId = await CampaignAsync(cancellationToken);
        var campaign = grains.GetGrain<ICampaignGrain>(campaignId);
        foreach (var agentId in logins.Select(l => l.AgentId).Concat(simulated))
        {
            await campaign.AssignAgentAsync(agentId);
        }

        return new DemoWorld(campaignId, logins, simulated);
    }

    /// <summary>The login and its agent: the one a previous start linked it to, else a new agent (a new demo database).</summary>
    private async Task<DemoLogin?> LoginAsync(string userName, string agentName, IReadOnlyList<AgentRecord> known, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(userName, cancellationToken) is { } user)
        {
            if (user.AgentId is not { } linked || await agents.GetAsync(linked, cancellationToken) is not { } agent)
            {
                logger.LogWarning("Demo: user '{User}' exists but is not linked to an agent; it is not a demo login", userName);
                return null;
            }

            return new DemoLogin(userName, agent.Name, agent.Id);
        }

        // An agent of that name left by an older demo (which made agents before logins) is reused rather than doubled.
        var free = known.FirstOrDefault(a => a.Name == agentName) ?? await agents.CreateAsync(agentName, cancellationToken);
        await users.CreateAtStartAsync(userName, auth.DemoPassword, DialerRoles.Agent, free.Id, cancellationToken);
        return new DemoLogin(userName, free.Name, free.Id);
    }

    private async Task<long> CampaignAsync(CancellationToken cancellationToken)
    {
        var existing = (await campaigns.ListAsync(cancellationToken)).FirstOrDefault(c => c.Settings.Name == CampaignName);
        if (existing is not null)
        {
            return existing.Id;
        }

        var campaign = await campaigns.CreateAsync(
            new CampaignSettings
            {
                Name = CampaignName,
                DialMode = DialMode.Predictive,

                // A demo must show calls whatever the hour it is started; real campaigns keep the legal window.
                CallingWindow = new CallingWindow(TimeOnly.MinValue, new TimeOnly(23, 59)),
                RetryDelays = new RetryDelays(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5)),
            },
            cancellationToken);
        var drafts = Enumerable.Range(1, Leads).Select(i => new ContactDraft(
            i,
            $"Demo lead {i}",
            [string.Create(CultureInfo.InvariantCulture, $"+4930555{i:D4}")],
            null,
            $"Company {i % 37}",
            null,
            "DE",
            "Europe/Berlin",
            new Dictionary<string, string>())).ToArray();
        var stored = await contacts.ExistingPhonesAsync(drafts.Select(d => d.PrimaryPhone).ToArray(), cancellationToken);
        var toImport = drafts.Where(d => !stored.Contains(d.PrimaryPhone)).ToArray();
        if (toImport.Length > 0)
        {
            var groupId = await contacts.ImportGroupAsync("Demo leads", toImport, toImport.Length, 0, cancellationToken);
            var contactIds = await contacts.ContactIdsInGroupAsync(groupId, cancellationToken);
            var created = await cases.CreateCasesAsync(campaign.Id, contactIds, CasePriority.Normal, null, time.GetUtcNow(), cancellationToken);
            await grains.GetGrain<ICampaignGrain>(campaign.Id).CasesCreatedAsync(created.Created);
        }

        return campaign.Id;
    }
}
