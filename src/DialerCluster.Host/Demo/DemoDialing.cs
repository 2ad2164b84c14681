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
/// generated leads (set up by <see cref="DemoSetup"/>), worked by simulated callers, each a person who waits for a dialed
/// lead, talks until the customer hangs up, wraps up, completes and now and then takes a break. The simulation drives
/// its own agents only: the logins printed for people are left to them. <c>Demo:Simulate=false</c> sets up without driving.
/// </summary>
internal sealed class DemoDialing(
    DemoSetup setup,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<DemoDialing> logger) : BackgroundService
{
    /// <summary>The share of talked leads a demo agent saves as interested (in acquisition) before completing.</summary>
    public const double InterestedShare = 0.3;

    private static readonly string[] AcquisitionStages = ["needs analysis", "demo booked", "decision maker found"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var world = await setup.EnsureAsync(stoppingToken);
            logger.LogInformation("Demo: campaign {CampaignId} dialing for {Agents} simulated agents; open the wall to watch", world.CampaignId, world.SimulatedAgents.Count);
            await Task.WhenAll(world.SimulatedAgents.Select((id, i) => WorkAsync(world.CampaignId, id, new Random(1000 + i), stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Demo: stopped");
        }
    }

    private async Task WorkAsync(long campaignId, long agentId, Random random, CancellationToken stoppingToken)
    {
        var agent = grains.GetGrain<IAgentGrain>(agentId);
        var campaign = grains.GetGrain<ICampaignGrain>(campaignId);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = await NextCaseRequest.RunAsync(agent, campaign, NextCaseRequest.LongestWaitCall, stoppingToken);
                if (next.Offer is not { Call: { } lead } offer)
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
                    await SaveInterestAsync(campaign, agentId, lead.CaseId, offer.Case.Version, random);
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
    /// (as PATCH /api/cases does), so the demo's funnel and the reminders fill up the way a real team's would. Based on the
    /// version the agent was handed, as a person's save is: a change made meanwhile refuses it instead of being overwritten.
    /// </summary>
    private async Task SaveInterestAsync(ICampaignGrain campaign, long agentId, long caseId, long version, Random random)
    {
        var now = time.GetUtcNow();
        var form = new CaseForm(
            NextContactAt: now.AddDays(1 + random.Next(7)),
            AcquisitionStage: AcquisitionStages[random.Next(AcquisitionStages.Length)],
            LeadSource: "demo dialing",
            ExpectedCloseDate: DateOnly.FromDateTime(now.UtcDateTime).AddDays(30 + random.Next(60)),
            Note: "Interested; call back with an offer");
        var patch = new CasePatch(CaseStatus.InAcquisition, form, null, ChangeOwner: true, agentId, version, agentId, GrainKeys.Of(agentId));
        await campaign.ChangeCaseAsync(caseId, patch);
    }
}

internal static class DemoExtensions
{
    /// <summary>Runs the demo when <c>Demo:Enabled</c> is true (the README's run command sets it; tests do not); <c>Demo:Simulate</c> (default true) drives its simulated callers.</summary>
    public static WebApplicationBuilder AddDialerDemo(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("Demo:Enabled", false))
        {
            builder.Services.AddSingleton<DemoSetup>();
            builder.Services.AddHostedService<DemoLogins>();
            if (builder.Configuration.GetValue("Demo:Simulate", true))
            {
                builder.Services.AddHostedService<DemoDialing>();
            }
        }

        return builder;
    }
}
