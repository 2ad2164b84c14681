using System.Collections.Concurrent;
using System.Globalization;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Telephony;

namespace DialerCluster.Dialing.Dialer;

/// <summary>
/// One subscription to the gateway per node: every call event, raised on a carrier thread, becomes a one-way turn
/// of the campaign that placed the call. The campaign is read from the correlation id ("campaign/dial").
/// </summary>
public sealed class CallEventRouter(ITelephonyGateway gateway, IGrainFactory grains, DialerMetrics? metrics = null) : ICallEventObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, ICampaignGrain> _campaigns = new();
    private IDisposable? _subscription;

    public static string CorrelationOf(long campaignId, long dialId) =>
        string.Create(CultureInfo.InvariantCulture, $"{campaignId}/{dialId}");

    public static bool TryParse(string correlationId, out long campaignId, out long dialId)
    {
        dialId = 0;
        var slash = correlationId.IndexOf('/', StringComparison.Ordinal);
        campaignId = 0;
        return slash > 0
            && long.TryParse(correlationId.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out campaignId)
            && long.TryParse(correlationId.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out dialId);
    }

    public void EnsureSubscribed()
    {
        lock (_gate)
        {
            _subscription ??= gateway.Subscribe(this);
        }
    }

    public void OnCallEvent(CallEvent callEvent)
    {
        // Never block the carrier's thread: the event is queued as a turn and this returns at once.
        if (TryParse(callEvent.CorrelationId, out var campaignId, out _))
        {
            if (callEvent is CallAnswered answered)
            {
                metrics?.Answered(campaignId, answered.AnsweredBy);
            }

            _ = _campaigns.GetOrAdd(campaignId, static (id, g) => g.GetGrain<ICampaignGrain>(id), grains).OnCallEvent(callEvent);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _subscription?.Dispose();
            _subscription = null;
        }
    }
}
