using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Routing;

/// <summary>
/// One contact time zone known to a <see cref="CampaignQueue"/>. Caches the last calling-window answer so a
/// Next case computes each zone's local time once, however many indexes look at it.
/// </summary>
internal sealed class ZoneSlot(int index, TimeZoneInfo zone)
{
    private DateTimeOffset _cachedAt;
    private CallingWindow _cachedWindow;
    private bool _cachedOpen;
    private bool _hasCache;

    public int Index { get; } = index;

    public TimeZoneInfo Zone { get; } = zone;

    public bool IsOpen(DateTimeOffset now, CallingWindow window)
    {
        if (!_hasCache || _cachedAt != now || _cachedWindow != window)
        {
            _cachedOpen = window.IsOpen(now, Zone);
            _cachedAt = now;
            _cachedWindow = window;
            _hasCache = true;
        }

        return _cachedOpen;
    }
}
