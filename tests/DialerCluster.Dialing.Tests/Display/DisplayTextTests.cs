using System.Text;
using DialerCluster.Dialing.Display;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Display;

/// <summary>What text shown to people may hold: no controls, no bidirectional controls, no noncharacters, valid Unicode.</summary>
public sealed class DisplayTextTests
{
    [Theory]
    [InlineData("Olivia Bennett")]
    [InlineData("Zoë Ødegaard-Łukasiewicz")]
    [InlineData("Called back.\nWants the 12-month plan;\tsend the offer.\r\n")]
    [InlineData("مرحبا بالعالم")]
    [InlineData("王小明 さん")]
    [InlineData("👩‍💻 on a call")]
    [InlineData("")]
    [InlineData(null)]
    public void Ordinary_text_in_any_script_with_line_breaks_and_tabs_is_displayable(string? text) =>
        Assert.Null(DisplayText.Refusal(text));

    [Theory]
    [InlineData("Ann\0", "control characters (U+0000")]
    [InlineData("\u001b[31mred", "control characters (U+001B")]
    [InlineData("bell\u0007", "control characters (U+0007")]
    [InlineData("del\u007f", "control characters (U+007F")]
    [InlineData("c1\u0085", "control characters (U+0085")]
    [InlineData("admin\u202Egnp.exe", "bidirectional control characters (U+202E")]
    [InlineData("\u2066isolate\u2069", "bidirectional control characters (U+2066")]
    [InlineData("mark\u200F", "bidirectional control characters (U+200F")]
    [InlineData("arabic mark\u061C", "bidirectional control characters (U+061C")]
    [InlineData("non\uFFFF", "noncharacters (U+FFFF")]
    [InlineData("non\uFDD0", "noncharacters (U+FDD0")]
    public void Controls_bidirectional_overrides_and_noncharacters_are_refused_naming_the_character(string text, string reason) =>
        Assert.Contains(reason, DisplayText.Refusal(text), StringComparison.Ordinal);

    [Fact]
    public void Text_that_is_not_Unicode_is_refused()
    {
        // Built here: test data passed as theory arguments would have its lone surrogates replaced on the way.
        foreach (var text in new[] { "lone " + '\uD800' + " high", "lone " + '\uDC00' + " low", '\uD83D'.ToString() })
        {
            Assert.Contains("not valid Unicode", DisplayText.Refusal(text), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_names_every_field_at_fault()
    {
        var errors = DisplayText.Check(("name", "Ann\0"), ("company", "Fine Ltd"), ("note", "\u202E"));
        Assert.Equal(["name", "note"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_text_is_refused_exactly_when_it_holds_a_forbidden_character()
    {
        // Every BMP code point, spliced into ordinary text: refused exactly when the rule says so.
        var codePoints = Gen.Choose(0, 0xFFFF).Where(c => c is < 0xD800 or > 0xDFFF);
        Prop.ForAll(codePoints.ToArbitrary(), c =>
        {
            var rune = new Rune(c);
            var forbidden = c is (< 0x20 and not (0x09 or 0x0A or 0x0D)) or (>= 0x7F and <= 0x9F)
                or 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069)
                or (>= 0xFDD0 and <= 0xFDEF) or 0xFFFE or 0xFFFF;
            return (DisplayText.Refusal("before " + rune + " after") is not null) == forbidden;
        }).QuickCheckThrowOnFailure();
    }
}
