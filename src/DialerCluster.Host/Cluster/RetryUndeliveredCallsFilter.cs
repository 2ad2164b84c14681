using Orleans.Runtime;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// Sends a call to one of the dialer's grains again when it was refused before delivery by a node that is dying (see
/// <see cref="UndeliveredCallRetry"/>), so a request that lands while a node dies waits a second or two instead of
/// failing. Orleans's own calls (membership probes, directory) are left alone: their failures are how a dead node is
/// found.
/// </summary>
/// <remarks>
/// Every grain call of Next case and complete passes here, so the call that succeeds costs one await and nothing more:
/// the retry's machinery (closures, the attempt loop) is built only once a call has failed undelivered.
/// </remarks>
internal sealed class RetryUndeliveredCallsFilter : IOutgoingGrainCallFilter
{
    private static readonly string DialerNamespace = typeof(Dialing.Grains.ICampaignGrain).Namespace!;

    public Task Invoke(IOutgoingGrainCallContext context) =>
        context.Request.GetInterfaceType().Namespace == DialerNamespace ? InvokeRetryingAsync(context) : context.Invoke();

    private static async Task InvokeRetryingAsync(IOutgoingGrainCallContext context)
    {
        Exception? failure;
        try
        {
            await context.Invoke();
            failure = context.Response?.Exception;
        }
        catch (Exception thrown) when (UndeliveredCallRetry.NeverDelivered(thrown))
        {
            failure = thrown;
        }

        if (failure is null || !UndeliveredCallRetry.NeverDelivered(failure))
        {
            // Answered, or failed in a way a retry cannot mend: as without this filter.
            return;
        }

        failure = await UndeliveredCallRetry.RetryAsync(
            failure,
            () => AttemptAsync(context),
            // Wall time, whatever clock the dialer runs on: the wait is for the cluster's membership to catch up.
            wait => Task.Delay(wait, TimeProvider.System));
        if (failure is not null && context.Response?.Exception is null)
        {
            // It was thrown rather than carried in the response: throw it on, as without this filter.
            throw failure;
        }
    }

    /// <summary>Runs the call once: its failure, thrown or carried in the response, or null.</summary>
    private static async Task<Exception?> AttemptAsync(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
            return context.Response?.Exception;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }
}
