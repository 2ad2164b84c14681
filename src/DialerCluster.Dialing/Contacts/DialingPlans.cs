using System.Collections.Frozen;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// The countries whose national numbers we can normalise, and the set of assigned calling codes
/// (so a typo such as +999 is refused instead of dialled). Sources: ITU-T E.164 assignment list and
/// each regulator's national numbering plan; lengths are national significant numbers.
/// </summary>
internal static class DialingPlans
{
    private const string NonZero = "123456789";

    // Countries spanning several time zones carry no zone: guessing one would put calls outside the
    // legal calling window (e.g. TCPA 8am–9pm local, 47 CFR 64.1200(c)(1)) for part of the country.
    // ES and PT are mapped to the mainland zone; the Canaries and Azores are an hour behind, so a
    // "timezone" column overrides the guess for island contacts.
    private static readonly DialingPlan[] All =
    [
        new("US", "1", "1", 10, 10, NonZero, "011", null, "United States", "United States of America", "USA", "U.S.", "U.S.A.", "America"),
        new("CA", "1", "1", 10, 10, NonZero, "011", null, "Canada"),
        new("GB", "44", "0", 9, 10, "1235789", null, "Europe/London", "United Kingdom", "UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"),
        new("IE", "353", "0", 7, 9, NonZero, null, "Europe/Dublin", "Ireland", "Republic of Ireland", "Eire"),
        new("DE", "49", "0", 6, 13, NonZero, null, "Europe/Berlin", "Germany", "Deutschland"),
        new("FR", "33", "0", 9, 9, NonZero, null, "Europe/Paris", "France"),
        new("ES", "34", null, 9, 9, "6789", null, "Europe/Madrid", "Spain", "España", "Espana"),
        // Italy keeps the leading 0 of landlines in E.164 (+39 06…), so it has no trunk prefix to drop.
        new("IT", "39", null, 6, 11, "0389", null, "Europe/Rome", "Italy", "Italia"),
        new("PL", "48", null, 9, 9, NonZero, null, "Europe/Warsaw", "Poland", "Polska"),
        new("NL", "31", "0", 9, 9, NonZero, null, "Europe/Amsterdam", "Netherlands", "The Netherlands", "Holland", "Nederland"),
        new("BE", "32", "0", 8, 9, NonZero, null, "Europe/Brussels", "Belgium", "Belgique", "België"),
        new("SE", "46", "0", 6, 10, NonZero, null, "Europe/Stockholm", "Sweden", "Sverige"),
        new("NO", "47", null, 8, 8, "23456789", null, "Europe/Oslo", "Norway", "Norge"),
        new("DK", "45", null, 8, 8, "23456789", null, "Europe/Copenhagen", "Denmark", "Danmark"),
        new("FI", "358", "0", 5, 12, NonZero, null, "Europe/Helsinki", "Finland", "Suomi"),
        new("AT", "43", "0", 5, 13, NonZero, null, "Europe/Vienna", "Austria", "Österreich", "Osterreich"),
        new("CH", "41", "0", 9, 9, "23456789", null, "Europe/Zurich", "Switzerland", "Schweiz", "Suisse", "Svizzera"),
        new("PT", "351", null, 9, 9, "23789", null, "Europe/Lisbon", "Portugal"),
        new("CZ", "420", null, 9, 9, "23456789", null, "Europe/Prague", "Czech Republic", "Czechia", "Česko", "Cesko"),
        new("SK", "421", "0", 9, 9, NonZero, null, "Europe/Bratislava", "Slovakia", "Slovensko"),
        new("HU", "36", "06", 8, 9, NonZero, null, "Europe/Budapest", "Hungary", "Magyarország"),
        new("RO", "40", "0", 9, 9, NonZero, null, "Europe/Bucharest", "Romania", "România"),
        new("GR", "30", null, 10, 10, "26789", null, "Europe/Athens", "Greece", "Hellas"),
        new("LU", "352", null, 4, 11, NonZero, null, "Europe/Luxembourg", "Luxembourg"),
        new("IS", "354", null, 7, 9, NonZero, null, "Atlantic/Reykjavik", "Iceland"),
        new("TR", "90", "0", 10, 10, NonZero, null, "Europe/Istanbul", "Turkey", "Türkiye", "Turkiye"),
        new("AU", "61", "0", 9, 9, "234578", "0011", null, "Australia"),
        new("NZ", "64", "0", 8, 10, NonZero, null, "Pacific/Auckland", "New Zealand", "Aotearoa"),
        new("IN", "91", "0", 10, 10, NonZero, null, "Asia/Kolkata", "India", "Bharat"),
        new("SG", "65", null, 8, 8, "3689", null, "Asia/Singapore", "Singapore"),
        new("AE", "971", "0", 8, 9, NonZero, null, "Asia/Dubai", "United Arab Emirates", "UAE"),
        new("IL", "972", "0", 8, 9, NonZero, null, "Asia/Jerusalem", "Israel"),
        new("JP", "81", "0", 9, 10, NonZero, "010", "Asia/Tokyo", "Japan", "Nippon"),
        new("CN", "86", "0", 10, 11, NonZero, null, "Asia/Shanghai", "China", "People's Republic of China", "PRC"),
        new("BR", "55", "0", 10, 11, NonZero, null, null, "Brazil", "Brasil"),
        new("MX", "52", null, 10, 10, NonZero, null, null, "Mexico", "México"),
        new("ZA", "27", "0", 9, 9, NonZero, null, "Africa/Johannesburg", "South Africa", "RSA"),
    ];

    private static readonly FrozenDictionary<string, DialingPlan> ByCountry =
        All.ToFrozenDictionary(p => p.Country, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, DialingPlan> ByName =
        All.SelectMany(p => p.Names.Select(n => (Name: n, Plan: p)))
            .Concat(All.Select(p => (Name: p.Country, Plan: p)))
            .ToFrozenDictionary(x => x.Name, x => x.Plan, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, DialingPlan[]> ByCallingCode =
        All.GroupBy(p => p.CallingCode).ToFrozenDictionary(g => g.Key, g => g.ToArray());

    // Assigned ITU-T E.164 country codes (geographic and global services). +1 and +7 are shared zones.
    private static readonly FrozenSet<string> AssignedCallingCodes = BuildAssigned();

    public static IReadOnlyCollection<string> Countries { get; } = All.Select(p => p.Country).ToArray();

    public static DialingPlan? Find(string? country) =>
        country is not null && ByCountry.TryGetValue(country.Trim(), out var plan) ? plan : null;

    /// <summary>Country from an ISO code or an English name/alias ("UK", "Deutschland").</summary>
    public static DialingPlan? FindByName(string? country) =>
        country is not null && ByName.TryGetValue(country.Trim(), out var plan) ? plan : null;

    /// <summary>Plans sharing a calling code (two for +1: US and CA), empty when we have none.</summary>
    public static IReadOnlyList<DialingPlan> ForCallingCode(string callingCode) =>
        ByCallingCode.TryGetValue(callingCode, out var plans) ? plans : [];

    /// <summary>The assigned calling code <paramref name="digits"/> starts with (codes are prefix-free).</summary>
    public static string? MatchCallingCode(ReadOnlySpan<char> digits)
    {
        var lookup = AssignedCallingCodes.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = 1; length <= 3 && length <= digits.Length; length++)
        {
            if (lookup.TryGetValue(digits[..length], out var code))
            {
                return code;
            }
        }
        return null;
    }

    private static FrozenSet<string> BuildAssigned()
    {
        var codes = new List<string>
        {
            "1", "7",
            "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
            "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
            "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
            "211", "212", "213", "216", "218", "290", "291", "297", "298", "299",
            "385", "386", "387", "389", "420", "421", "423", "670",
            "800", "808", "850", "852", "853", "855", "856", "870", "878", "880", "881", "882", "883", "886", "888",
            "970", "971", "972", "973", "974", "975", "976", "977", "979", "992", "993", "994", "995", "996", "998",
        };
        static IEnumerable<string> Range(int from, int to) =>
            Enumerable.Range(from, to - from + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        codes.AddRange(Range(220, 258));
        codes.AddRange(Range(260, 269));
        codes.AddRange(Range(350, 359));
        codes.AddRange(Range(370, 383));
        codes.AddRange(Range(500, 509));
        codes.AddRange(Range(590, 599));
        codes.AddRange(Range(672, 683));
        codes.AddRange(Range(685, 692));
        codes.AddRange(Range(960, 968));
        return codes.ToFrozenSet(StringComparer.Ordinal);
    }
}
