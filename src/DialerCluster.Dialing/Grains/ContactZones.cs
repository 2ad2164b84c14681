using System.Collections.Concurrent;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Dialing.Grains;

/// <summary>The time zone the calling window is applied in for a contact.</summary>
internal static class ContactZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> ById = new(StringComparer.Ordinal);

    /// <summary>
    /// The contact's own zone; else the zone of the country its number belongs to (the import already did
    /// this for one-clock countries, so this is mostly +1 and +7, where CountryTimeZones' guess applies);
    /// else UTC, so an unknown contact is still bound by a window rather than called at any hour.
    /// </summary>
    public static TimeZoneInfo For(string? zoneId, string phone)
    {
        if (!string.IsNullOrEmpty(zoneId) && Find(zoneId) is { } own)
        {
            return own;
        }

        if (phone.Length > 1 && phone[0] == '+' && DialingPlans.MatchCallingCode(phone.AsSpan(1)) is { } code)
        {
            foreach (var plan in DialingPlans.ForCallingCode(code))
            {
                var id = plan.TimeZone ?? CountryTimeZones.DefaultZoneId(plan.Country);
                if (id is not null && Find(id) is { } zone)
                {
                    return zone;
                }
            }
        }

        return TimeZoneInfo.Utc;
    }

    private static TimeZoneInfo? Find(string id)
    {
        if (ById.TryGetValue(id, out var zone))
        {
            return zone;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            return null;
        }

        // Bounded by the zones the system knows: ids come from stored contacts, already resolved at import.
        ById.TryAdd(id, zone);
        return zone;
    }
}
