using System.Buffers;
using System.Globalization;
using System.Text;

namespace DialerCluster.Dialing.Display;

/// <summary>
/// What text shown to people (names, notes, form fields, reasons) may hold. Refused, so that nothing stored can
/// corrupt a terminal, a log line, an export or the direction of the text around it ("Trojan Source", CVE-2021-42574):
/// control characters other than tab, line feed and carriage return (NUL, ESC, DEL, the C1 range); the Unicode
/// bidirectional controls (embeddings, overrides, isolates and the LRM/RLM/ALM marks); noncharacters; and lone
/// surrogates (text that is not Unicode at all). One rule for every endpoint that stores displayed text.
/// </summary>
public static class DisplayText
{
    /// <summary>Null when the text may be stored; otherwise why not, naming the first character at fault.</summary>
    public static string? Refusal(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var position = 0;
        foreach (var (rune, status) in Runes(text))
        {
            position++;
            if (status != OperationStatus.Done)
            {
                return $"is not valid Unicode text (a lone surrogate at character {position})";
            }

            if (Why(rune) is { } why)
            {
                return $"must not contain {why} ({Describe(rune)} at character {position})";
            }
        }

        return null;
    }

    /// <summary>The refusals of several fields at once, each naming its field.</summary>
    public static IReadOnlyList<Cases.FieldError> Check(params (string Field, string? Text)[] fields)
    {
        var errors = new List<Cases.FieldError>();
        foreach (var (field, text) in fields)
        {
            if (Refusal(text) is { } reason)
            {
                errors.Add(new Cases.FieldError(field, reason));
            }
        }

        return errors;
    }

    /// <summary>What kind of forbidden character <paramref name="rune"/> is; null when it is allowed.</summary>
    public static string? Why(Rune rune)
    {
        var value = rune.Value;
        if (value is '\t' or '\n' or '\r')
        {
            return null;
        }

        if (value < 0x20 || value is >= 0x7F and <= 0x9F)
        {
            return "control characters";
        }

        if (IsBidiControl(value))
        {
            return "bidirectional control characters";
        }

        if (value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE)
        {
            return "Unicode noncharacters";
        }

        return null;
    }

    /// <summary>ALM, LRM, RLM, the embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI, FSI, PDI).</summary>
    public static bool IsBidiControl(int value) =>
        value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    public static string Describe(Rune rune) => "U+" + rune.Value.ToString("X4", CultureInfo.InvariantCulture);

    private static IEnumerable<(Rune Rune, OperationStatus Status)> Runes(string text)
    {
        var index = 0;
        while (index < text.Length)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
            yield return (rune, status);
            index += Math.Max(consumed, 1);
        }
    }
}
