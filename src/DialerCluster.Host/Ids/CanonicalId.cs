using System.Globalization;

namespace DialerCluster.Host.Ids;

/// <summary>
/// The one reading of an id written as text (route values, query strings): canonical decimal only, exactly as
/// <c>long.ToString(CultureInfo.InvariantCulture)</c> writes a non-negative id. No sign, no spaces, no leading
/// zeros, no exponent, no digits of other scripts (full-width, Arabic-Indic ...), at most <see cref="long.MaxValue"/>.
/// Because every accepted text is the invariant spelling of its value, any other parser that reads it (the
/// endpoints' binders included) reads the same number: an access check and an endpoint can never disagree.
/// </summary>
public static class CanonicalId
{
    /// <summary>Digits in <see cref="long.MaxValue"/>.</summary>
    private const int MaxDigits = 19;

    public static bool TryParse(ReadOnlySpan<char> text, out long id)
    {
        id = 0;
        if (text.IsEmpty || text.Length > MaxDigits || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        ulong value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = value * 10 + (ulong)(c - '0');
        }

        // 19 digits fit in a ulong without overflow; only the range of long is left to check.
        if (value > long.MaxValue)
        {
            return false;
        }

        id = (long)value;
        return true;
    }

    public static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Why <paramref name="text"/> is refused, for a problem body that names the parameter.</summary>
    public static string Refusal(string? text)
    {
        var shown = text is null ? string.Empty : text.Length > 40 ? text[..40] + "…" : text;
        return $"'{shown}' is not an id: write it as plain decimal digits (no sign, spaces or leading zeros, at most {long.MaxValue})";
    }
}
