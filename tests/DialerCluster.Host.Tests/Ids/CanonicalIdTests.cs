using System.Globalization;
using DialerCluster.Host.Ids;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Host.Tests.Ids;

/// <summary>The one reading of ids written as text: canonical decimal, and nothing a binder could read differently.</summary>
public sealed class CanonicalIdTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7L)]
    [InlineData("15", 15L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Plain_decimal_digits_are_read(string text, long expected)
    {
        Assert.True(CanonicalId.TryParse(text, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+15")]
    [InlineData("-15")]
    [InlineData(" 15")]
    [InlineData("15 ")]
    [InlineData("015")]
    [InlineData("00")]
    [InlineData("1e1")]
    [InlineData("15.0")]
    [InlineData("0x0F")]
    [InlineData("１５")]
    [InlineData("١٥")]
    [InlineData("१५")]
    [InlineData("15\0")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999")]
    public void Anything_but_canonical_decimal_is_refused(string text)
    {
        Assert.False(CanonicalId.TryParse(text, out _));
    }

    [Fact]
    public void Every_id_reads_back_from_its_invariant_spelling()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<long>().Filter(n => n >= 0), n =>
            CanonicalId.TryParse(n.ToString(CultureInfo.InvariantCulture), out var id) && id == n)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Whatever_is_accepted_is_the_invariant_spelling_of_its_value_so_every_binder_reads_the_same_number()
    {
        var alphabet = Gen.Elements("0", "1", "5", "9", "+", "-", " ", "\t", ".", "e", "x", "１", "٥", "\0", "\u00A0");
        var texts = Gen.ArrayOf(alphabet).Select(parts => string.Concat(parts));
        Prop.ForAll(texts.ToArbitrary(), text =>
        {
            if (!CanonicalId.TryParse(text, out var id))
            {
                return true;
            }

            // What minimal APIs' binders use for long parameters: the most lenient reading they have.
            return text == id.ToString(CultureInfo.InvariantCulture)
                && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bound) && bound == id;
        }).QuickCheckThrowOnFailure();
    }
}
