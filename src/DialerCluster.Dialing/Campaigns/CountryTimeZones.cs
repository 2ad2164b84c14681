using System.Collections.Frozen;

namespace DialerCluster.Dialing.Campaigns;

/// <summary>
/// The time zone assumed for a contact that gives only a country (ISO 3166-1 alpha-2). IANA ids, which
/// .NET resolves on Linux from the system tz database.
/// </summary>
/// <remarks>
/// Countries spanning several zones get the zone where most of their people live (US → New York,
/// CA → Toronto, AU → Sydney, BR → São Paulo, MX → Mexico City, RU → Moscow). That is a guess: a 09:00
/// window opened in New York is 06:00 in Los Angeles. Imports should prefer the contact's own zone and
/// supervisors of multi-zone campaigns should narrow the window; the guess is only the last resort.
/// </remarks>
public static class CountryTimeZones
{
    private static readonly FrozenDictionary<string, string> ZoneIdByCountry = new Dictionary<string, string>
    {
        // Europe
        ["AT"] = "Europe/Vienna",
        ["BE"] = "Europe/Brussels",
        ["BG"] = "Europe/Sofia",
        ["CH"] = "Europe/Zurich",
        ["CY"] = "Asia/Nicosia",
        ["CZ"] = "Europe/Prague",
        ["DE"] = "Europe/Berlin",
        ["DK"] = "Europe/Copenhagen",
        ["EE"] = "Europe/Tallinn",
        ["ES"] = "Europe/Madrid",
        ["FI"] = "Europe/Helsinki",
        ["FR"] = "Europe/Paris",
        ["GB"] = "Europe/London",
        ["GR"] = "Europe/Athens",
        ["HR"] = "Europe/Zagreb",
        ["HU"] = "Europe/Budapest",
        ["IE"] = "Europe/Dublin",
        ["IS"] = "Atlantic/Reykjavik",
        ["IT"] = "Europe/Rome",
        ["LT"] = "Europe/Vilnius",
        ["LU"] = "Europe/Luxembourg",
        ["LV"] = "Europe/Riga",
        ["MT"] = "Europe/Malta",
        ["NL"] = "Europe/Amsterdam",
        ["NO"] = "Europe/Oslo",
        ["PL"] = "Europe/Warsaw",
        ["PT"] = "Europe/Lisbon",
        ["RO"] = "Europe/Bucharest",
        ["RS"] = "Europe/Belgrade",
        ["RU"] = "Europe/Moscow",
        ["SE"] = "Europe/Stockholm",
        ["SI"] = "Europe/Ljubljana",
        ["SK"] = "Europe/Bratislava",
        ["TR"] = "Europe/Istanbul",
        ["UA"] = "Europe/Kyiv",

        // Americas
        ["AR"] = "America/Argentina/Buenos_Aires",
        ["BR"] = "America/Sao_Paulo",
        ["CA"] = "America/Toronto",
        ["CL"] = "America/Santiago",
        ["CO"] = "America/Bogota",
        ["MX"] = "America/Mexico_City",
        ["PE"] = "America/Lima",
        ["US"] = "America/New_York",

        // Asia, Middle East, Oceania
        ["AE"] = "Asia/Dubai",
        ["AU"] = "Australia/Sydney",
        ["CN"] = "Asia/Shanghai",
        ["HK"] = "Asia/Hong_Kong",
        ["ID"] = "Asia/Jakarta",
        ["IL"] = "Asia/Jerusalem",
        ["IN"] = "Asia/Kolkata",
        ["JP"] = "Asia/Tokyo",
        ["KR"] = "Asia/Seoul",
        ["MY"] = "Asia/Kuala_Lumpur",
        ["NZ"] = "Pacific/Auckland",
        ["PH"] = "Asia/Manila",
        ["SA"] = "Asia/Riyadh",
        ["SG"] = "Asia/Singapore",
        ["TH"] = "Asia/Bangkok",

        // Africa
        ["EG"] = "Africa/Cairo",
        ["KE"] = "Africa/Nairobi",
        ["MA"] = "Africa/Casablanca",
        ["NG"] = "Africa/Lagos",
        ["ZA"] = "Africa/Johannesburg",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Countries the table knows, upper-case alpha-2.</summary>
    public static IEnumerable<string> Countries => ZoneIdByCountry.Keys;

    /// <summary>The IANA zone id for a country code (case-insensitive), or null when the table does not know it.</summary>
    public static string? DefaultZoneId(string? country) =>
        country is not null && ZoneIdByCountry.TryGetValue(country.Trim(), out var id) ? id : null;

    public static bool TryGetDefaultZone(string? country, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        var id = DefaultZoneId(country);
        return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone);
    }
}
