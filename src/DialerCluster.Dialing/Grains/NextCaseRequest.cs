using System.Diagnostics;
using DialerCluster.Dialing.Dialer;

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
    /// The offer, or null when nothing came within <paramref name="wait"/> (real time). Cancelling ends the wait but not
    /// what was started: a lead connected meanwhile is still handed to the agent, who is already on the call.
    /// </summary>
    public static async Task<NextCaseOffer?> RunAsync(IGrainFactory grains, long agentId, long campaignId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var agent = grains.GetGrain<IAgentGrain>(agentId);
        var start = await agent.StartNextCaseAsync(campaignId);
        if (!start.Waiting)
        {
            return start.Offer;
        }

        var campaign = grains.GetGrain<ICampaignGrain>(campaignId);
        var started = Stopwatch.GetTimestamp();
        DialedLead? lead = null;
        try
        {
            for (var left = wait; lead is null && left > TimeSpan.Zero; left = wait - Stopwatch.GetElapsedTime(started))
            {
                lead = await campaign.AwaitLeadAsync(agentId, left < LongestWaitCall ? left : LongestWaitCall).WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        lead ??= await campaign.StopWaitingAsync(agentId);
        return lead is null ? null : await agent.LeadOfferAsync(lead);
    }
}
