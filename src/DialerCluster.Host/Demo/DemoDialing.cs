using System.Globalization;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth;

namespace DialerCluster.Host.Demo;

/// <summary>
/// The newcomer's demo (<c>Demo:Enabled</c>): a predictive campaign on the simulated carrier with a few hundred
/// generated leads, worked by the demo agents, each driven by a simulated person who waits for a dialed lead, talks
/// until the customer hangs up, wraps up, completes and now and then takes a break. Seeding is idempotent (by name).
/// </summary>
internal sealed class DemoDialing(
    IGrainFactory grains,
    ICampaignStore campaigns,
    IAgentStore agents,
    IContactStore contacts,
    ICaseStore cases,
    TimeProvider time,
    ILogger<DemoDialing> logger) : BackgroundService
{
    public const string CampaignName = "Demo: predictive sales";
    public const int Leads = 300;

    /// <summary>The share of talked leads a demo agent saves as interested (in acquisition) before completing.</summary>
    public const double InterestedShare = 0.3;

    private static readonly string[] AcquisitionStages = ["needs analysis", "demo booked", "decision maker found"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var campaignId = await SeedAsync(stoppingToken);
            var agentIds = await DemoAgentsAsync(stoppingToken);
            foreach (var agentId in agentIds)
            {
                await grains.GetGrain<ICampaignGrain>(campaignId).AssignAgentAsync(agentId);
            }

            logger.LogInformation("Demo: campaign {CampaignId} dialing for {Agents} simulated agents; open the wall to watch", campaignId, agentIds.Count);
            await Task.WhenAll(agentIds.Select((id, i) => WorkAsync(campaignId, id, new Random(1000 + i), stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Demo: stopped");
        }
    }

    private async Task<long> SeedAsync(CancellationToken cancellationToken)
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
        var fresh = await contacts.ExistingPhonesAsync(drafts.Select(d => d.PrimaryPhone).ToArray(), cancellationToken);
        var toImport = drafts.Where(d => !fresh.Contains(d.PrimaryPhone)).ToArray();
        if (toImport.Length > 0)
        {
            var groupId = await contacts.ImportGroupAsync("Demo leads", toImport, toImport.Length, 0, cancellationToken);
            var contactIds = await contacts.ContactIdsInGroupAsync(groupId, cancellationToken);
            var created = await cases.CreateCasesAsync(campaign.Id, contactIds, CasePriority.Normal, null, time.GetUtcNow(), cancellationToken);
            await grains.GetGrain<ICampaignGrain>(campaign.Id).CasesCreatedAsync(created.Created);
        }

        return campaign.Id;
    }

    /// <summary>The agents the auth helper links to the demo users (by name); created here if the user bootstrap has not yet.</summary>
    private async Task<IReadOnlyList<long>> DemoAgentsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        var known = await agents.ListAsync(cancellationToken);
        foreach (var name in UserBootstrap.DemoAgentNames)
        {
            var agent = known.FirstOrDefault(a => a.Name == name) ?? await agents.CreateAsync(name, cancellationToken);
            ids.Add(agent.Id);
        }

        return ids;
    }

    private async Task WorkAsync(long campaignId, long agentId, Random random, CancellationToken stoppingToken)
    {
        var agent = grains.GetGrain<IAgentGrain>(agentId);
        var campaign = grains.GetGrain<ICampaignGrain>(campaignId);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var offer = await NextCaseRequest.RunAsync(grains, agentId, campaignId, NextCaseRequest.LongestWaitCall, stoppingToken);
                if (offer.Offer?.Call is not { } lead)
                {
                    continue;
                }

                // Talk until the customer hangs up (the carrier's talk time), then wrap up for a few seconds.
                while ((await agent.ViewAsync()).Presence.State == AgentState.OnCall && !stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
                }

                await Task.Delay(TimeSpan.FromSeconds(3 + (random.NextDouble() * 5)), time, stoppingToken);
                if (random.NextDouble() < InterestedShare)
                {
                    await SaveInterestAsync(campaign, agentId, lead.CaseId, random);
                }

                await agent.CompleteAsync(CallOutcome.Talked);
                if (random.NextDouble() < 0.1)
                {
                    await agent.SetStatusAsync(AgentState.Break, "coffee");
                    await Task.Delay(TimeSpan.FromSeconds(15 + (random.NextDouble() * 15)), time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RequestRefusedException ex)
            {
                logger.LogDebug(ex, "Demo: agent {AgentId} was refused; trying again", agentId);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// The agent saves the card as a lead in acquisition, with every field that stage requires, through the campaign
    /// (as PATCH /api/cases does), so the demo's funnel and the reminders fill up the way a real team's would.
    /// </summary>
    private async Task SaveInterestAsync(ICampaignGrain campaign, long agentId, long caseId, Random random)
    {
        var now = time.GetUtcNow();
        var form = new CaseForm(
            NextContactAt: now.AddDays(1 + random.Next(7)),
            AcquisitionStage: AcquisitionStages[random.Next(AcquisitionStages.Length)],
            LeadSource: "demo dialing",
            ExpectedCloseDate: DateOnly.FromDateTime(now.UtcDateTime).AddDays(30 + random.Next(60)),
            Note: "Interested; call back with an offer");
        var patch = new CasePatch(CaseStatus.InAcquisition, form, null, ChangeOwner: true, agentId, null, agentId, GrainKeys.Of(agentId));
        await campaign.ChangeCaseAsync(caseId, patch);
    }
}

internal static class DemoExtensions
{
    /// <summary>Runs the demo when <c>Demo:Enabled</c> is true (the README's run command sets it; tests do not).</summary>
    public static WebApplicationBuilder AddDialerDemo(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("Demo:Enabled", false))
        {
            builder.Services.AddHostedService<DemoDialing>();
        }

        return builder;
    }
}
