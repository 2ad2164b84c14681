using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using static DialerCluster.Dialing.Tests.Routing.RoutingWorld;

namespace DialerCluster.Dialing.Tests.Routing;

public sealed class NextCaseExclusionTests
{
    private static readonly NextCaseContext Context = new(Settings, new OwnerPresenceTable(), new DoNotCallSet(["+4930blocked"]));

    public static TheoryData<string, NextCaseExclusion> Rows() => new()
    {
        { "plain", NextCaseExclusion.None },
        { "won", NextCaseExclusion.Terminal },
        { "resigned", NextCaseExclusion.Terminal },
        { "held", NextCaseExclusion.Held },
        { "held-by-me", NextCaseExclusion.Held },
        { "callback-later", NextCaseExclusion.CallbackNotDue },
        { "retry-later", NextCaseExclusion.RetryNotDue },
        { "attempts", NextCaseExclusion.AttemptsExhausted },
        { "dnc", NextCaseExclusion.DoNotCall },
        { "new-york", NextCaseExclusion.OutsideCallingWindow },
        { "bobs-callback", NextCaseExclusion.ReservedForOwner },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_exclusion_is_named(string row, NextCaseExclusion expected)
    {
        var candidate = row switch
        {
            "plain" => Case(1),
            "won" => Case(1) with { Status = CaseStatus.Won },
            "resigned" => Case(1) with { Status = CaseStatus.Resigned },
            "held" => Case(1) with { HolderAgentId = "bob" },
            "held-by-me" => Case(1) with { HolderAgentId = "ann" },
            "callback-later" => Case(1).Owned("ann").Callback(15),
            "retry-later" => Case(1) with { NextEligibleAt = T0.AddHours(2) },
            "attempts" => Case(1) with { Attempts = 7 },
            "dnc" => Case(1) with { Phone = "+4930blocked" },
            "new-york" => Case(1) with { TimeZone = NewYork },
            "bobs-callback" => Case(1).Owned("bob").Callback(-15),
            _ => throw new ArgumentOutOfRangeException(nameof(row)),
        };

        Assert.Equal(expected, NextCasePolicy.Exclusion(candidate, "ann", T0, Context));
        Assert.Equal(expected == NextCaseExclusion.None, NextCasePolicy.IsEligible(candidate, "ann", T0, Context));
    }
}
