using System.Collections.Concurrent;

namespace DialerCluster.Dialing.Contacts;

/// <summary>Resolves a time-zone cell to an IANA id; Windows ids ("W. Europe Standard Time") are translated.</summary>
internal static class TimeZones
{
    private static readonly ConcurrentDictionary<string, string?> Resolved = new(StringComparer.Ordinal);
    private static readonly Lazy<Dictionary<string, string>> IgnoringCase = new(() =>
        TimeZoneInfo.GetSystemTimeZones()
            .Select(z => z.Id)
            .DistinctBy(id => id, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(id => id, StringComparer.OrdinalIgnoreCase));

    // Bounded: an import full of distinct junk must not grow a process-wide cache without end.
    private const int CacheLimit = 4_096;

    public static string? Resolve(string value)
    {
        var id = value.Trim();
        if (Resolved.TryGetValue(id, out var known))
        {
            return known;
        }
        var found = Lookup(id);
        if (Resolved.Count < CacheLimit)
        {
            Resolved.TryAdd(id, found);
        }
        return found;
    }

    private static string? Lookup(string id)
    {
        // The id becomes a path under the zoneinfo directory on Linux: refuse anything that is not a zone name.
        if (id.Length is 0 or > 64 || id.Contains("..", StringComparison.Ordinal) || id[0] == '/')
        {
            return null;
        }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+' or ' ' or '.'))
            {
                return null;
            }
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            && !(IgnoringCase.Value.TryGetValue(id, out var exact) && TimeZoneInfo.TryFindSystemTimeZoneById(exact, out zone)))
        {
            return null;
        }
        if (zone.HasIanaId)
        {
            return zone.Id;
        }
        return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;
    }
}
