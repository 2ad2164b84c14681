using Orleans.Runtime;

namespace DialerCluster.Host.Cluster;

/// <summary>
/// Sends a call to one of the dialer's grains again when it was refused before delivery by a node that is dying (see
/// <see cref="UndeliveredCallRetry"/>), so a request that lands while a node dies waits a second or two instead of
/// failing. Orleans's own calls (membership probes, directory) are left alone: their failures are how a dead node is
/// found.
/// </summary>
internal sealed class RetryUndeliveredCallsFilter : IOutgoingGrainCallFilter
{
    private static readonly string DialerNamespace = typeof(Dialing.Grains.ICampaignGrain).Namespace!;

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.Request.GetInterfaceType().Namespace != DialerNamespace)
        {
            await context.Invoke();
            return;
        }

        var failure = await UndeliveredCallRetry.RunAsync(
            async () =>
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
            },
            // Wall time, whatever clock the dialer runs on: the wait is for the cluster's membership to catch up.
            wait => Task.Delay(wait, TimeProvider.System));
        if (failure is not null && context.Response?.Exception is null)
        {
            // It was thrown rather than carried in the response: throw it on, as without this filter.
            throw failure;
        }
    }
}
