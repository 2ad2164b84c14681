using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Display;

namespace DialerCluster.Host.Auth.Users;

/// <summary>A user name as shown (<see cref="Name"/>), as it must be unique (<see cref="Key"/>) and as it looks (<see cref="Skeleton"/>).</summary>
public sealed record UserName(string Name, string Key, string Skeleton);

/// <summary>
/// What a user name may be, when two are the same, and when one looks too much like another (issue 15.12). The rule,
/// in full:
/// <list type="number">
/// <item>The name is NFKC-normalised and trimmed: full-width "ａｌｉｃｅ" is "alice", a ligature is its letters.</item>
/// <item>It holds letters (with their combining marks), digits 0-9 and <c>. - _ @</c>, starts with a letter or digit,
/// and is at most <see cref="MaxLength"/> characters. No spaces, controls, bidirectional or invisible characters.</item>
/// <item>Its letters are of one script (Latin, Cyrillic, Greek, Arabic, Han ...), where Han with Kana (Japanese) and Han
/// with Hangul (Korean) count as one: "аlice" with a Cyrillic "а" is refused.</item>
/// <item>Two names are the same user when their case-folded forms (<see cref="UserName.Key"/>) are equal: "Alice" is "alice".</item>
/// <item>A new name is refused when it looks like an existing one: equal skeletons, where Cyrillic and Greek letters
/// that look Latin ("асе" in Cyrillic), 0 and o, 1 and l, "rn" and "m", "vv" and "w" are taken as the same.</item>
/// </list>
/// </summary>
public static class UserNames
{
    public const int MaxLength = 100;

    private const string Punctuation = ".-_@";

    /// <summary>Letters of other scripts that look like a Latin letter, after case folding (from Unicode's confusables).</summary>
    private static readonly Dictionary<int, char> LatinLookAlikes = new()
    {
        // Cyrillic
        [0x0430] = 'a', [0x0435] = 'e', [0x0450] = 'e', [0x0451] = 'e', [0x043E] = 'o', [0x0440] = 'p', [0x0441] = 'c',
        [0x0443] = 'y', [0x0445] = 'x', [0x0456] = 'i', [0x0457] = 'i', [0x0458] = 'j', [0x0455] = 's', [0x04BB] = 'h',
        [0x0501] = 'd', [0x051B] = 'q', [0x051D] = 'w', [0x04CF] = 'l', [0x04AF] = 'y', [0x043A] = 'k', [0x0432] = 'b',
        [0x043C] = 'm', [0x043D] = 'h', [0x0442] = 't', [0x044C] = 'b',

        // Greek
        [0x03B1] = 'a', [0x03BF] = 'o', [0x03C1] = 'p', [0x03BD] = 'v', [0x03B9] = 'i', [0x03BA] = 'k', [0x03C5] = 'u',
        [0x03C7] = 'x', [0x03B5] = 'e', [0x03C4] = 't', [0x03B7] = 'n', [0x03C9] = 'w', [0x03B2] = 'b',

        // Latin digits that look like letters
        ['0'] = 'o', ['1'] = 'l',
    };

    /// <summary>The name, or why it cannot be one (the reason reads after the field name: "userName must ...").</summary>
    public static bool TryParse(string? text, out UserName name, out string reason)
    {
        name = new UserName(string.Empty, string.Empty, string.Empty);
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "is required";
            return false;
        }

        if (DisplayText.Refusal(text) is { } notDisplayable)
        {
            reason = notDisplayable;
            return false;
        }

        var shown = text.Normalize(NormalizationForm.FormKC).Trim();
        if (shown.Length > MaxLength)
        {
            reason = $"must be at most {MaxLength} characters";
            return false;
        }

        if (CharacterRefusal(shown) is { } badCharacter)
        {
            reason = badCharacter;
            return false;
        }

        if (ScriptRefusal(shown) is { } mixed)
        {
            reason = mixed;
            return false;
        }

        var key = Key(shown);
        name = new UserName(shown, key, Skeleton(key));
        reason = string.Empty;
        return true;
    }

    /// <summary>The case-folded form two names are compared by (upper then lower, so final sigma and sigma agree).</summary>
    public static string Key(string normalizedName) =>
        normalizedName.ToUpperInvariant().ToLowerInvariant().Normalize(NormalizationForm.FormKC);

    /// <summary>How a key looks: look-alike letters replaced by the Latin letter they imitate.</summary>
    public static string Skeleton(string key)
    {
        var skeleton = new StringBuilder(key.Length);
        foreach (var rune in key.EnumerateRunes())
        {
            if (LatinLookAlikes.TryGetValue(rune.Value, out var latin))
            {
                skeleton.Append(latin);
            }
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                skeleton.Append(rune.ToString());
            }
        }

        return skeleton.Replace("rn", "m").Replace("vv", "w").ToString();
    }

    private static string? CharacterRefusal(string name)
    {
        var previousIsLetter = false;
        var first = true;
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var isLetter = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;
            var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            var isDigit = rune.Value is >= '0' and <= '9';
            if (category == UnicodeCategory.DecimalDigitNumber && !isDigit)
            {
                return $"may use the digits 0-9 only, not {DisplayText.Describe(rune)}";
            }

            var isPunctuation = rune.IsAscii && Punctuation.Contains((char)rune.Value, StringComparison.Ordinal);
            if (first && !(isLetter || isDigit))
            {
                return "must start with a letter or a digit";
            }

            if (!(isLetter || isDigit || isPunctuation || (isMark && previousIsLetter)))
            {
                var what = rune.Value == ' ' ? "a space" : DisplayText.Describe(rune);
                return $"may hold only letters, digits 0-9 and {string.Join(' ', Punctuation.ToCharArray())} (not {what})";
            }

            previousIsLetter = isLetter || (isMark && previousIsLetter);
            first = false;
        }

        return null;
    }

    private static string? ScriptRefusal(string name)
    {
        var scripts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                scripts.Add(ScriptOf(rune.Value));
            }
        }

        if (scripts.Count <= 1 || (scripts.IsSubsetOf(["Han", "Kana"])) || scripts.IsSubsetOf(["Han", "Hangul"]))
        {
            return null;
        }

        return $"must be written in one script, not a mix of {string.Join(" and ", scripts)}: mixed scripts make look-alike names";
    }

    /// <summary>The script of a letter, by Unicode block; letters of blocks not listed count as a script of their block.</summary>
    internal static string ScriptOf(int value) => value switch
    {
        <= 0x024F or (>= 0x0250 and <= 0x02AF) or (>= 0x1D00 and <= 0x1DBF) or (>= 0x1E00 and <= 0x1EFF)
            or (>= 0x2C60 and <= 0x2C7F) or (>= 0xA720 and <= 0xA7FF) or (>= 0xAB30 and <= 0xAB6F) or (>= 0xFB00 and <= 0xFB06) => "Latin",
        (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF) => "Greek",
        (>= 0x0400 and <= 0x052F) or (>= 0x1C80 and <= 0x1C8F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F) => "Cyrillic",
        >= 0x0530 and <= 0x058F => "Armenian",
        (>= 0x0590 and <= 0x05FF) or (>= 0xFB1D and <= 0xFB4F) => "Hebrew",
        (>= 0x0600 and <= 0x06FF) or (>= 0x0750 and <= 0x077F) or (>= 0x08A0 and <= 0x08FF) or (>= 0xFB50 and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) => "Arabic",
        >= 0x0900 and <= 0x097F => "Devanagari",
        >= 0x0980 and <= 0x09FF => "Bengali",
        >= 0x0E00 and <= 0x0E7F => "Thai",
        (>= 0x10A0 and <= 0x10FF) or (>= 0x2D00 and <= 0x2D2F) => "Georgian",
        (>= 0x1100 and <= 0x11FF) or (>= 0x3130 and <= 0x318F) or (>= 0xAC00 and <= 0xD7AF) => "Hangul",
        (>= 0x3040 and <= 0x30FF) or (>= 0x31F0 and <= 0x31FF) or (>= 0xFF66 and <= 0xFF9F) => "Kana",
        (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F) => "Han",
        _ => "U+" + (value & ~0x7F).ToString("X4", CultureInfo.InvariantCulture) + " block",
    };
}
