using DialerCluster.Host.Auth.Users;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Host.Tests.Users;

/// <summary>The user-name rule: NFKC, case-folded keys, one script per name, look-alikes found by skeleton (issue 15.12).</summary>
public sealed class UserNamesTests
{
    [Theory]
    [InlineData("alice", "alice", "alice")]
    [InlineData("Alice", "Alice", "alice")]
    [InlineData("  bob.smith@example.com ", "bob.smith@example.com", "bob.smith@example.com")]
    [InlineData("ａｌｉｃｅ", "alice", "alice")]
    [InlineData("ＡＬＩＣＥ", "ALICE", "alice")]
    [InlineData("ﬁona", "fiona", "fiona")]
    [InlineData("lt-run1-agent-10", "lt-run1-agent-10", "lt-run1-agent-10")]
    [InlineData("Zoë", "Zoë", "zoë")]
    [InlineData("Светлана", "Светлана", "светлана")]
    [InlineData("ΟΔΥΣΣΕΥΣ", "ΟΔΥΣΣΕΥΣ", "οδυσσευσ")]
    [InlineData("山田たろう", "山田たろう", "山田たろう")]
    [InlineData("김민수", "김민수", "김민수")]
    public void A_name_is_normalised_and_keyed_by_its_case_folded_form(string typed, string shown, string key)
    {
        Assert.True(UserNames.TryParse(typed, out var name, out var reason), reason);
        Assert.Equal((shown, key), (name.Name, name.Key));
    }

    [Theory]
    [InlineData("\u0430lice", "one script")]
    [InlineData("p\u0430ypal", "Cyrillic and Latin")]
    [InlineData("adm\u0131n\u03b1", "one script")]
    [InlineData("ali\u0000ce", "control characters")]
    [InlineData("ali\u001bce", "control characters")]
    [InlineData("ali\u202Ece", "bidirectional")]
    [InlineData("ali\u200Bce", "only letters, digits")]
    [InlineData("ali\u00ADce", "only letters, digits")]
    [InlineData("alice smith", "not a space")]
    [InlineData("-alice", "start with a letter or a digit")]
    [InlineData("alice\u0663", "digits 0-9 only")]
    [InlineData("", "is required")]
    [InlineData("   ", "is required")]
    [InlineData(null, "is required")]
    public void Mixed_scripts_controls_invisible_characters_and_other_digits_are_refused(string? typed, string reason)
    {
        Assert.False(UserNames.TryParse(typed, out _, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_the_limit_is_refused()
    {
        Assert.False(UserNames.TryParse(new string('a', UserNames.MaxLength + 1), out _, out var why));
        Assert.Contains("at most", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "\u0430\u04CF\u0456\u0441\u0435")]
    [InlineData("ace", "\u0430\u0441\u0435")]
    [InlineData("ooo", "\u03bf\u03bf\u03bf")]
    [InlineData("bob0", "bobo")]
    [InlineData("paul1", "paull")]
    [InlineData("modern", "modem")]
    [InlineData("vvolf", "wolf")]
    public void Look_alikes_share_a_skeleton(string one, string other)
    {
        Assert.Equal(UserNames.Skeleton(UserNames.Key(one)), UserNames.Skeleton(UserNames.Key(other)));
    }

    [Theory]
    [InlineData("alice", "alicia")]
    [InlineData("agent1", "agent2")]
    [InlineData("lt-run-agent-1", "lt-run-agent-10")]
    public void Different_names_keep_different_skeletons(string one, string other) =>
        Assert.NotEqual(UserNames.Skeleton(UserNames.Key(one)), UserNames.Skeleton(UserNames.Key(other)));

    [Fact]
    public void Case_and_width_never_make_two_users()
    {
        var letters = Gen.Elements("a", "B", "c", "D", "ｅ", "Ｆ", "g", "1", "-");
        var names = from length in Gen.Choose(0, UserNames.MaxLength - 1)
                    from parts in Gen.ArrayOf(letters, length)
                    select "n" + string.Concat(parts);
        Prop.ForAll(names.ToArbitrary(), typed =>
        {
            var ok = UserNames.TryParse(typed, out var name, out _);
            var upper = UserNames.TryParse(typed.ToUpperInvariant(), out var shouted, out _);
            return ok && upper && name.Key == shouted.Key && name.Skeleton == shouted.Skeleton;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_accepted_name_is_already_normal_so_parsing_it_again_changes_nothing()
    {
        var pieces = Gen.Elements("a", "Z", "ü", "ｂ", "ﬁ", "0", "9", ".", "_", "@", "-", "Ⅻ", "ǆ");
        var names = Gen.NonEmptyListOf(pieces).Select(parts => "x" + string.Concat(parts));
        Prop.ForAll(names.ToArbitrary(), typed =>
            !UserNames.TryParse(typed, out var name, out _)
            || (UserNames.TryParse(name.Name, out var again, out _) && again == name)).QuickCheckThrowOnFailure();
    }
}
