using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using Orleans.Runtime;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// Wakes the campaigns that dial when this node starts and whenever the cluster declares a node dead: each is called
/// once, so one that lived on the dead node (or on no node, after a restart of the whole cluster) activates on a live
/// node, claims its epoch and re-arms its pacing (<c>OnActivateAsync</c>) without waiting for an agent's request.
/// </summary>
/// <remarks>
/// A sweep on membership changes rather than an Orleans reminder per campaign: reminders fire at most once a minute
/// and their owner moves with the same membership change, so a dead node's campaigns would sit idle for up to a
/// minute; the sweep runs a moment after the death is declared. Each node sweeps (a campaign already active answers
/// at memory speed, and there are tens of campaigns, not thousands), so no node has to be the one that remembers.
/// </remarks>
internal sealed partial class CampaignWakeUp(
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    ICampaignStore campaigns,
    IGrainFactory grains,
    ILogger<CampaignWakeUp> logger) : BackgroundService
{
    /// <summary>A sweep that could not reach every campaign tries again after this, a few times.</summary>
    private static readonly TimeSpan SweepRetry = TimeSpan.FromSeconds(2);
    private const int SweepAttempts = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlySet<SiloAddress>? dead = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                // Not before this node serves grains: the first sweep is the start-up one.
                if (snapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active)
                {
                    continue;
                }

                var nowDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
                if (dead is null || !nowDead.IsSubsetOf(dead))
                {
                    LogSweep(logger, dead is null ? "start-up" : "a node was declared dead");
                    await SweepAsync(stoppingToken);
                }

                dead = nowDead;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= SweepAttempts; attempt++)
        {
            var unreached = 0;
            foreach (var campaign in await campaigns.ListAsync(cancellationToken))
            {
                if (campaign.Settings.DialMode == DialMode.Preview)
                {
                    continue;
                }

                try
                {
                    await grains.GetGrain<ICampaignGrain>(campaign.Id).DialModeAsync();
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    unreached++;
                    LogUnreached(logger, campaign.Id, failure);
                }
            }

            if (unreached == 0)
            {
                return;
            }

            await Task.Delay(SweepRetry, TimeProvider.System, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waking the dialing campaigns: {Reason}")]
    private static partial void LogSweep(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {CampaignId} could not be woken; trying again shortly")]
    private static partial void LogUnreached(ILogger logger, long campaignId, Exception failure);
}
