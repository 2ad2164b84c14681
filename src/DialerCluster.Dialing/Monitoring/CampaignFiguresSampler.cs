using DialerCluster.Dialing.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DialerCluster.Dialing.Monitoring;

/// <summary>
/// Reads every campaign's abandon rate over the regulatory windows from the calls table, every
/// <see cref="Interval"/>, into <see cref="DialerMetrics"/>. The database is the durable, cluster-wide truth: every
/// node reports the same figure whichever node dialed the calls, so dashboards take the max over nodes.
/// </summary>
/// <remarks>
/// Windows: 24 hours (UK, Ofcom) and 30 days (US, FCC 47 CFR 64.1200(a)(7)); 3% of person-answered calls is the cap
/// in both. Two indexed range counts per campaign per interval (calls_campaign_started).
/// </remarks>
public sealed partial class CampaignFiguresSampler(
    ICampaignStore campaigns,
    ICallStore calls,
    DialerMetrics metrics,
    TimeProvider time,
    ILogger<CampaignFiguresSampler> logger,
    TimeSpan? interval = null) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Day = TimeSpan.FromHours(24);
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);

    public TimeSpan Interval { get; } = interval ?? DefaultInterval;

    /// <summary>One read of every campaign, published to the metrics. Also what each tick runs.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var figures = new List<CampaignFigures>();
        foreach (var campaign in await campaigns.ListAsync(cancellationToken))
        {
            var day = await calls.AbandonCountsAsync(campaign.Id, now - Day, cancellationToken);
            var month = await calls.AbandonCountsAsync(campaign.Id, now - Month, cancellationToken);
            figures.Add(new CampaignFigures(
                campaign.Id, campaign.Settings.DialMode, new AbandonCounts(day.Answered, day.Abandoned), new AbandonCounts(month.Answered, month.Abandoned)));
        }

        metrics.Publish(figures);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The last figures stay up; a database that is back answers the next tick.
                LogSampleFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the campaigns' abandon rates failed")]
    private partial void LogSampleFailed(Exception exception);
}
