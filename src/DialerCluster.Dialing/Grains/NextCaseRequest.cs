using System.Diagnostics;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Routing;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// Next case as a client runs it (the HTTP API, the demo's simulated agents): start it on the agent; in a dialing mode
/// wait for a dialed lead in the campaign, then stop waiting and turn the lead into the offer.
/// </summary>
public static class NextCaseRequest
{
    /// <summary>
    /// The longest a single wait call on the campaign lasts. Orleans gives up on a call after its response timeout (30 s by
    /// default), so a longer long poll is made of several calls.
    /// </summary>
    public static readonly TimeSpan LongestWaitCall = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The offer, or why there is none: nothing eligible (preview), or no answered call within <paramref name="wait"/>
    /// (real time) or the campaign no longer dialing for the agent (dialing modes). Cancelling ends the wait but not what
    /// was started: a lead connected meanwhile is still handed to the agent, who is already on the call.
    /// </summary>
    public static async Task<NextCaseResult> RunAsync(IAgentGrain agent, ICampaignGrain campaign, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(campaign);
        var agentId = agent.GetPrimaryKeyLong();
        var campaignId = campaign.GetPrimaryKeyLong();
        var start = await agent.StartNextCaseAsync(campaignId);
        if (!start.Waiting)
        {
            return new NextCaseResult(start.Offer, start.NoCase);
        }

        var started = Stopwatch.GetTimestamp();
        DialedLead? lead = null;
        try
        {
            for (var left = wait; left > TimeSpan.Zero; left = wait - Stopwatch.GetElapsedTime(started))
            {
                var poll = await campaign.AwaitLeadAsync(agentId, left < LongestWaitCall ? left : LongestWaitCall).WaitAsync(cancellationToken);
                if (poll.Lead is { } connected)
                {
                    lead = connected;
                    break;
                }

                if (poll.Ended is { } ended)
                {
                    return new NextCaseResult(null, ended);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        if (lead is null)
        {
            var stop = await campaign.StopWaitingAsync(agentId);
            if (stop.Lead is null)
            {
                return new NextCaseResult(null, stop.Ended ?? NoCaseReason.WaitEnded);
            }

            lead = stop.Lead;
        }

        return new NextCaseResult(await agent.LeadOfferAsync(lead), null);
    }
}
