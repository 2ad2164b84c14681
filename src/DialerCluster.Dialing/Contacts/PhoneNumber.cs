using System.Globalization;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Turns a phone number as people write it ("020 7946 0000", "+44 (0)20-7946-0000", "0049 30 1234567")
/// into E.164 ("+442079460000"). Table driven (<see cref="DialingPlans"/>): no libphonenumber here,
/// so validation is by country code, length and leading digit, not by number range.
/// </summary>
public static class PhoneNumber
{
    /// <summary>ITU-T E.164: at most 15 digits including the country code.</summary>
    public const int MaxDigits = 15;

    // Anything longer cannot be a phone number even with generous punctuation; refusing early keeps
    // a 4,000-character cell from being scanned twice.
    private const int MaxRawLength = 64;

    /// <summary>ISO 3166-1 alpha-2 codes accepted as a default country.</summary>
    public static IReadOnlyCollection<string> SupportedCountries => DialingPlans.Countries;

    /// <summary>True when <paramref name="country"/> (ISO 3166-1 alpha-2, any case) has a dialing plan here.</summary>
    public static bool IsSupportedCountry(string? country) => DialingPlans.Find(country) is not null;

    /// <summary>
    /// Normalises <paramref name="raw"/> to E.164. National numbers are read in <paramref name="defaultCountry"/>
    /// (ISO 3166-1 alpha-2; null when every number must carry its country code).
    /// On failure <paramref name="e164"/> is empty and <paramref name="reason"/> says why in words a user can act on.
    /// </summary>
    public static bool TryNormalize(string? raw, string? defaultCountry, out string e164, out string reason)
    {
        e164 = "";
        DialingPlan? plan = null;
        if (!string.IsNullOrWhiteSpace(defaultCountry))
        {
            plan = DialingPlans.Find(defaultCountry);
            if (plan is null)
            {
                reason = $"unknown default country '{defaultCountry.Trim()}' (expected an ISO 3166 code such as GB, DE, US)";
                return false;
            }
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            reason = "empty";
            return false;
        }

        if (raw.Length > MaxRawLength)
        {
            reason = $"too long: {raw.Length} characters";
            return false;
        }

        Span<char> buffer = stackalloc char[MaxRawLength];
        var count = 0;
        var international = false;
        foreach (var c in raw.AsSpan().Trim())
        {
            if (c is >= '0' and <= '9')
            {
                buffer[count++] = c;
            }
            else if (c == '+')
            {
                if (count > 0 || international)
                {
                    reason = "'+' may appear only once, at the start";
                    return false;
                }
                international = true;
            }
            else if (IsSeparator(c))
            {
                continue;
            }
            else if (char.IsLetter(c))
            {
                reason = $"contains letters ('{c}'); only digits, spaces, + - . ( ) / are allowed";
                return false;
            }
            else
            {
                reason = $"contains '{c}'; only digits, spaces, + - . ( ) / are allowed";
                return false;
            }
        }

        var digits = buffer[..count];
        if (digits.IsEmpty)
        {
            reason = "contains no digits";
            return false;
        }

        if (international)
        {
            return TryInternational(digits, out e164, out reason);
        }

        if (plan?.ExitPrefix is { } exit && digits.StartsWith(exit))
        {
            return TryInternational(digits[exit.Length..], out e164, out reason);
        }

        // "00" is the ITU-recommended international prefix; no national number in our plans starts with it.
        if (digits.StartsWith("00"))
        {
            return TryInternational(digits[2..], out e164, out reason);
        }

        if (plan is null)
        {
            reason = "national number without a country: write it with + and the country code, or give a default country";
            return false;
        }

        return TryNational(digits, plan, out e164, out reason);
    }

    /// <summary>The country a normalised number belongs to, when its calling code names exactly one (not +1).</summary>
    internal static string? CountryOf(string e164, string? defaultCountry)
    {
        if (e164.Length < 2 || e164[0] != '+')
        {
            return null;
        }
        var code = DialingPlans.MatchCallingCode(e164.AsSpan(1));
        if (code is null)
        {
            return null;
        }
        var defaultPlan = DialingPlans.Find(defaultCountry);
        if (defaultPlan is not null && defaultPlan.CallingCode == code)
        {
            return defaultPlan.Country;
        }
        var plans = DialingPlans.ForCallingCode(code);
        return plans.Count == 1 ? plans[0].Country : null;
    }

    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '.' or '(' or ')' or '/' or '\t' or '\u00A0' or '\u2007' or '\u2009' or '\u202F'
            or (>= '\u2010' and <= '\u2015');

    private static bool TryInternational(ReadOnlySpan<char> digits, out string e164, out string reason)
    {
        e164 = "";
        if (digits.IsEmpty)
        {
            reason = "nothing after the international prefix";
            return false;
        }
        if (digits.Length > MaxDigits)
        {
            reason = $"too long: E.164 allows at most {MaxDigits} digits, got {digits.Length}";
            return false;
        }
        if (digits[0] == '0')
        {
            reason = "a country calling code cannot start with 0";
            return false;
        }

        var code = DialingPlans.MatchCallingCode(digits);
        if (code is null)
        {
            reason = $"unknown country calling code +{digits[..Math.Min(3, digits.Length)].ToString()}";
            return false;
        }

        var nsn = digits[code.Length..];
        var plans = DialingPlans.ForCallingCode(code);
        if (plans.Count == 0)
        {
            // A country we have no plan for: only general bounds can be checked. The shortest numbers in
            // use have seven digits in all (e.g. Niue +683 4002, Saint Helena +290 xxxx).
            var shortest = Math.Max(4, 7 - code.Length);
            if (nsn.Length < shortest)
            {
                reason = $"too short: +{code} needs at least {shortest} digits after the country code, got {nsn.Length}";
                return false;
            }
            e164 = Compose(code, nsn);
            reason = "";
            return true;
        }

        var plan = plans[0];
        // "+44 (0)20 7946 0000" is how the UK writes for foreign readers: the bracketed trunk 0 is not dialled.
        if (plan.TrunkPrefix == "0" && nsn.Length > 0 && nsn[0] == '0' && !plan.LeadingDigits.Contains('0'))
        {
            nsn = nsn[1..];
        }
        return TryCompose(plan, nsn, out e164, out reason);
    }

    private static bool TryNational(ReadOnlySpan<char> digits, DialingPlan plan, out string e164, out string reason)
    {
        if (plan.TrunkPrefix is { } trunk && digits.StartsWith(trunk))
        {
            var afterTrunk = digits[trunk.Length..];
            if (TryCompose(plan, afterTrunk, out e164, out reason))
            {
                return true;
            }
            // NANP: a 10-digit number may itself not start with 1, but an 11-digit one without the 1 is
            // simply too long; the trunk-form reason is the one the user needs.
            return false;
        }

        // Written with the country code but without '+' (spreadsheets turn "+44 7700 900123" into the
        // number 447700900123): the calling-code reading wins when it fits, as nationally people write
        // the trunk prefix instead.
        if (digits.StartsWith(plan.CallingCode) && Fits(plan, digits[plan.CallingCode.Length..]))
        {
            return TryCompose(plan, digits[plan.CallingCode.Length..], out e164, out reason);
        }

        if (Fits(plan, digits))
        {
            return TryCompose(plan, digits, out e164, out reason);
        }

        // No guessing a foreign country from a number that is merely too long: one extra digit typed in
        // "415 555 01234" would otherwise become a Swiss number (+41 555501234), and we would dial a stranger.
        e164 = "";
        reason = DescribeMisfit(plan, digits);
        return false;
    }

    private static bool Fits(DialingPlan plan, ReadOnlySpan<char> nsn) =>
        nsn.Length >= plan.MinNsn && nsn.Length <= plan.MaxNsn && plan.LeadingDigits.Contains(nsn[0])
        && (!plan.IsNanp || NanpProblem(nsn) is null);

    private static bool TryCompose(DialingPlan plan, ReadOnlySpan<char> nsn, out string e164, out string reason)
    {
        e164 = "";
        var country = plan.IsNanp ? "NANP (+1)" : $"{plan.Country} (+{plan.CallingCode})";
        if (nsn.Length < plan.MinNsn)
        {
            reason = $"too short for {country}: expected {Lengths(plan)} digits in the national number, got {nsn.Length}";
            return false;
        }
        if (nsn.Length > plan.MaxNsn || plan.CallingCode.Length + nsn.Length > MaxDigits)
        {
            reason = $"too long for {country}: expected {Lengths(plan)} digits in the national number, got {nsn.Length}";
            return false;
        }
        if (plan.IsNanp && NanpProblem(nsn) is { } nanp)
        {
            reason = nanp;
            return false;
        }
        if (!plan.LeadingDigits.Contains(nsn[0]))
        {
            reason = $"not a valid {country} number: the national number cannot start with {nsn[0]}";
            return false;
        }
        e164 = Compose(plan.CallingCode, nsn);
        reason = "";
        return true;
    }

    // North American Numbering Plan: NPA (area code) and NXX (exchange) are [2-9]XX; N11 codes are services.
    private static string? NanpProblem(ReadOnlySpan<char> nsn)
    {
        if (nsn.Length != 10)
        {
            return null;
        }
        if (nsn[0] is '0' or '1')
        {
            return $"invalid area code {nsn[..3].ToString()}: NANP area codes cannot start with 0 or 1";
        }
        if (nsn[1] == '1' && nsn[2] == '1')
        {
            return $"invalid area code {nsn[..3].ToString()}: N11 codes are service numbers";
        }
        if (nsn[3] is '0' or '1')
        {
            return $"invalid exchange code {nsn.Slice(3, 3).ToString()}: NANP exchange codes cannot start with 0 or 1";
        }
        return null;
    }

    private static string DescribeMisfit(DialingPlan plan, ReadOnlySpan<char> digits)
    {
        var country = plan.IsNanp ? "NANP (+1)" : $"{plan.Country} (+{plan.CallingCode})";
        if (digits.Length > MaxDigits)
        {
            return $"too long: E.164 allows at most {MaxDigits} digits, got {digits.Length}";
        }
        var trunkHint = plan.TrunkPrefix is null ? "" : $" after the trunk prefix {plan.TrunkPrefix}";
        if (digits.Length < plan.MinNsn)
        {
            return $"too short for {country}: expected {Lengths(plan)} digits{trunkHint}, got {digits.Length}";
        }
        if (digits.Length > plan.MaxNsn)
        {
            return $"too long for {country}: expected {Lengths(plan)} digits{trunkHint}, got {digits.Length} " +
                "(a number from another country needs + and its country code)";
        }
        if (plan.IsNanp && NanpProblem(digits) is { } nanp)
        {
            return nanp;
        }
        return plan.TrunkPrefix is null
            ? $"not a valid {country} number: national numbers cannot start with {digits[0]}"
            : $"not a valid {country} number: national numbers start with the trunk prefix {plan.TrunkPrefix}";
    }

    private static string Lengths(DialingPlan plan) =>
        plan.MinNsn == plan.MaxNsn
            ? plan.MinNsn.ToString(CultureInfo.InvariantCulture)
            : $"{plan.MinNsn}–{plan.MaxNsn}";

    private static string Compose(string code, ReadOnlySpan<char> nsn) => string.Concat("+", code, nsn);
}
