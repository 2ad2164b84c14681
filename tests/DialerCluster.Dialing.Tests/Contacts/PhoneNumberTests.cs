using DialerCluster.Dialing.Contacts;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Contacts;

public sealed class PhoneNumberTests
{
    public static TheoryData<string, string?, string> Valid => new()
    {
        // GB
        { "020 7946 0000", "GB", "+442079460000" },
        { "020-7946-0000", "GB", "+442079460000" },
        { "(020) 7946 0000", "GB", "+442079460000" },
        { "+44 20 7946 0000", null, "+442079460000" },
        { "+44 (0)20 7946 0000", null, "+442079460000" },
        { "0044 20 7946 0000", "DE", "+442079460000" },
        { "07700 900123", "GB", "+447700900123" },
        { "7700900123", "GB", "+447700900123" },
        { "447700900123", "GB", "+447700900123" },
        { "01632 960 001", "GB", "+441632960001" },
        { " \u00A0020\u00A07946\u00A00000 ", "GB", "+442079460000" },
        // DE
        { "030 1234567", "DE", "+49301234567" },
        { "030/1234567", "DE", "+49301234567" },
        { "+49 (0)30 1234567", null, "+49301234567" },
        { "49301234567", "DE", "+49301234567" },
        { "0151 23456789", "DE", "+4915123456789" },
        // PL: no trunk prefix, 9-digit national numbers
        { "512 345 678", "PL", "+48512345678" },
        { "+48 512-345-678", null, "+48512345678" },
        { "48512345678", "PL", "+48512345678" },
        { "0048 22 123 45 67", "GB", "+48221234567" },
        { "22 123 45 67", "PL", "+48221234567" },
        // NANP
        { "(415) 555-0123", "US", "+14155550123" },
        { "415.555.0123", "US", "+14155550123" },
        { "1-415-555-0123", "US", "+14155550123" },
        { "1 (415) 555-0123", "us", "+14155550123" },
        { "+1 415 555 0123", null, "+14155550123" },
        { "011 44 20 7946 0000", "US", "+442079460000" },
        { "604-555-0123", "CA", "+16045550123" },
        { "+1 (604) 555-0123", "GB", "+16045550123" },
        // Europe
        { "01 234 5678", "IE", "+35312345678" },
        { "087 123 4567", "IE", "+353871234567" },
        { "01 23 45 67 89", "FR", "+33123456789" },
        { "06.12.34.56.78", "FR", "+33612345678" },
        { "912 345 678", "ES", "+34912345678" },
        { "612345678", "ES", "+34612345678" },
        { "06 1234 5678", "IT", "+390612345678" },
        { "333 123 4567", "IT", "+393331234567" },
        { "3912345678", "IT", "+393912345678" },
        { "+39 06 1234 5678", null, "+390612345678" },
        { "020-123 4567", "NL", "+31201234567" },
        { "06 12345678", "NL", "+31612345678" },
        { "02 123 45 67", "BE", "+3221234567" },
        { "0470 12 34 56", "BE", "+32470123456" },
        { "08-123 456 78", "SE", "+46812345678" },
        { "070-123 45 67", "SE", "+46701234567" },
        { "412 34 567", "NO", "+4741234567" },
        { "32 12 34 56", "DK", "+4532123456" },
        { "040 1234567", "FI", "+358401234567" },
        { "01 234 5678", "AT", "+4312345678" },
        { "0664 1234567", "AT", "+436641234567" },
        { "044 668 18 00", "CH", "+41446681800" },
        { "912 345 678", "PT", "+351912345678" },
        { "21 123 4567", "PT", "+351211234567" },
        { "601 123 456", "CZ", "+420601123456" },
        { "06 1 234 5678", "HU", "+3612345678" },
        // Rest of the world
        { "02 9876 5432", "AU", "+61298765432" },
        { "0412 345 678", "AU", "+61412345678" },
        { "0011 44 20 7946 0000", "AU", "+442079460000" },
        { "09 123 4567", "NZ", "+6491234567" },
        { "021 123 4567", "NZ", "+64211234567" },
        { "098765 43210", "IN", "+919876543210" },
        { "9876543210", "IN", "+919876543210" },
        { "(11) 91234-5678", "BR", "+5511912345678" },
        { "011 91234 5678", "BR", "+5511912345678" },
        { "55 1234 5678", "MX", "+525512345678" },
        { "03-1234-5678", "JP", "+81312345678" },
        { "090-1234-5678", "JP", "+819012345678" },
        { "010 44 20 7946 0000", "JP", "+442079460000" },
        { "021 123 4567", "ZA", "+27211234567" },
        { "082 123 4567", "ZA", "+27821234567" },
        // A country without a dialing plan here: only E.164 bounds apply.
        { "+234 803 123 4567", null, "+2348031234567" },
    };

    public static TheoryData<string?, string?, string> Invalid => new()
    {
        { null, "GB", "empty" },
        { "", "GB", "empty" },
        { "   ", "GB", "empty" },
        { "020 7946 000O", "GB", "contains letters ('O')" },
        { "call me", "GB", "contains letters" },
        { "020 7946 0000 ext 12", "GB", "contains letters" },
        { "020#7946", "GB", "contains '#'" },
        { "+44+20 7946 0000", null, "'+' may appear only once, at the start" },
        { "44+20", "GB", "'+' may appear only once" },
        { "+", null, "contains no digits" },
        { "---", "GB", "contains no digits" },
        { "00", "GB", "nothing after the international prefix" },
        { "12345", "GB", "too short for GB (+44): expected 9–10 digits after the trunk prefix 0, got 5" },
        { "020 7946 00", "GB", "too short for GB (+44): expected 9–10 digits in the national number, got 8" },
        { "020 7946 00000 0", "GB", "too long for GB (+44)" },
        { "+44 4123 456789", null, "not a valid GB (+44) number: the national number cannot start with 4" },
        { "+44 20 7946 0000 1234 5", null, "too long: E.164 allows at most 15 digits, got 17" },
        { "1234567890123456", "DE", "too long: E.164 allows at most 15 digits, got 16" },
        { "+999 1234 5678", null, "unknown country calling code +999" },
        { "+0 44 20 7946 0000", null, "a country calling code cannot start with 0" },
        { "020 7946 0000", "XX", "unknown default country 'XX'" },
        { "+44 20 7946 0000", "Narnia", "unknown default country 'Narnia'" },
        { "020 7946 0000", null, "national number without a country" },
        { "(012) 555-0123", "US", "invalid area code 012: NANP area codes cannot start with 0 or 1" },
        { "+1 112 555 0123", null, "invalid area code 112" },
        { "(415) 155-0123", "US", "invalid exchange code 155: NANP exchange codes cannot start with 0 or 1" },
        { "(911) 555-0123", "US", "invalid area code 911: N11 codes are service numbers" },
        { "1-415-555-012", "US", "too short for NANP (+1)" },
        { "+1 415 555 01234", null, "too long for NANP (+1)" },
        // One digit too many must not turn into a number of another country (here +41, Switzerland).
        { "415 555 01234", "US", "too long for NANP (+1): expected 10 digits after the trunk prefix 1, got 11" },
        { "0 512 345 678", "PL", "too long for PL (+48): expected 9 digits, got 10" },
        { "12 345 678", "PL", "too short for PL (+48)" },
        { "+48 012 345 678", null, "not a valid PL (+48) number: the national number cannot start with 0" },
        { "+234 80", null, "too short" },
        // Found by the property below: a code with no dialling plan still needs seven digits in all.
        { " +588781-", "US", "too short: +58 needs at least 5 digits after the country code, got 4" },
        { new string('1', 65), "GB", "too long: 65 characters" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Written_number_normalises_to_E164(string raw, string? country, string expected)
    {
        Assert.True(PhoneNumber.TryNormalize(raw, country, out var e164, out var reason), reason);
        Assert.Equal(expected, e164);
        Assert.Equal("", reason);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Bad_number_is_refused_with_the_reason(string? raw, string? country, string expectedReason)
    {
        Assert.False(PhoneNumber.TryNormalize(raw, country, out var e164, out var reason));
        Assert.Equal("", e164);
        Assert.StartsWith(expectedReason, reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_normalised_number_normalises_to_itself_whatever_the_default_country(string raw, string? country, string expected)
    {
        _ = raw;
        _ = country;
        foreach (var other in new string?[] { null, "GB", "US", "PL", "IT", "JP" })
        {
            Assert.True(PhoneNumber.TryNormalize(expected, other, out var again, out var reason), reason);
            Assert.Equal(expected, again);
        }
    }

    [Fact]
    public void Every_country_the_brief_names_is_supported()
    {
        foreach (var country in "US CA GB IE DE FR ES IT PL NL BE SE NO DK FI AT CH PT CZ AU NZ IN BR MX JP ZA".Split(' '))
        {
            Assert.True(PhoneNumber.IsSupportedCountry(country), country);
            Assert.True(PhoneNumber.IsSupportedCountry(country.ToLowerInvariant()), country);
        }
        Assert.False(PhoneNumber.IsSupportedCountry("XX"));
        Assert.False(PhoneNumber.IsSupportedCountry(null));
    }

    [Fact]
    public void Output_is_always_plus_and_at_most_15_digits_never_an_exception()
    {
        var alphabet = "0123456789 +-()./#aE\u00A0".ToCharArray();
        var raw = Gen.ArrayOf(Gen.Elements(alphabet)).Select(chars => new string(chars));
        var country = Gen.Elements<string?>(null, "GB", "US", "DE", "PL", "IT", "AU", "JP", "XX");
        Prop.ForAll(raw.ToArbitrary(), country.ToArbitrary(), (text, c) =>
        {
            if (PhoneNumber.TryNormalize(text, c, out var e164, out var reason))
            {
                return e164[0] == '+' && e164.Length is >= 8 and <= 16 && e164.Skip(1).All(char.IsAsciiDigit) && e164[1] != '0'
                    && reason.Length == 0;
            }
            return e164.Length == 0 && reason.Length > 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Punctuation_never_changes_the_number()
    {
        var separators = Gen.Elements(" ", "-", ".", "", "  ");
        Prop.ForAll(separators.ToArbitrary(), separators.ToArbitrary(), (a, b) =>
        {
            var written = $"020{a}7946{b}0000";
            return PhoneNumber.TryNormalize(written, "GB", out var e164, out _) && e164 == "+442079460000";
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void National_and_international_forms_of_a_number_agree()
    {
        var subscriber = Gen.Choose(2_000_000, 9_999_999);
        Prop.ForAll(subscriber.ToArbitrary(), n =>
        {
            var national = $"030 {n}";
            var international = $"+49 30 {n}";
            var withPrefix = $"0049 30 {n}";
            return PhoneNumber.TryNormalize(national, "DE", out var a, out _)
                && PhoneNumber.TryNormalize(international, "PL", out var b, out _)
                && PhoneNumber.TryNormalize(withPrefix, null, out var c, out _)
                && a == b && b == c && a == $"+4930{n}";
        }).QuickCheckThrowOnFailure();
    }
}
