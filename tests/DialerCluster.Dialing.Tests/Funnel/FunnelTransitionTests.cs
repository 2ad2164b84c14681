using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Tests.Funnel;

public sealed class FunnelTransitionTests
{
    private static readonly CaseForm CompleteForm = new(
        NextContactAt: new DateTimeOffset(2025, 3, 11, 10, 0, 0, TimeSpan.Zero),
        AcquisitionStage: "needs analysis",
        LeadSource: "webinar",
        ExpectedCloseDate: new DateOnly(2025, 4, 30),
        ContractStage: "draft sent",
        ResignationReason: "price",
        Note: "asked for a discount");

    // Written out by hand, not derived from the code under test: rows = from, columns = to,
    // in the order new, in_acquisition, offered, won, resigned.
    private static readonly bool[,] Allowed =
    {
        /* new            */ { true,  true,  true,  true,  true },
        /* in_acquisition */ { false, true,  true,  true,  true },
        /* offered        */ { false, true,  true,  true,  true },
        /* won            */ { false, false, false, true,  false },
        /* resigned       */ { false, false, false, false, true },
    };

    public static TheoryData<CaseStatus, CaseStatus, bool> EveryPair()
    {
        var data = new TheoryData<CaseStatus, CaseStatus, bool>();
        foreach (var from in Enum.GetValues<CaseStatus>())
        {
            foreach (var to in Enum.GetValues<CaseStatus>())
            {
                data.Add(from, to, Allowed[(int)from, (int)to]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_status_pair_is_allowed_or_refused_as_the_funnel_says(CaseStatus from, CaseStatus to, bool allowed)
    {
        var errors = FunnelRules.Validate(from, to, CompleteForm);

        if (allowed)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal("status", error.Field);
            Assert.Contains(to.ToWire(), error.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(CaseStatus.Won, CaseStatus.Offered)]
    [InlineData(CaseStatus.Resigned, CaseStatus.InAcquisition)]
    public void Leaving_a_terminal_status_is_refused_and_missing_fields_are_still_named(CaseStatus from, CaseStatus to)
    {
        var errors = FunnelRules.Validate(from, to, CaseForm.Empty);

        Assert.Contains(errors, e => e.Field == "status" && e.Reason.Contains("final", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "nextContactAt");
    }

    [Fact]
    public void Only_won_and_resigned_are_terminal()
    {
        var terminal = Enum.GetValues<CaseStatus>().Where(s => s.IsTerminal()).ToArray();

        Assert.Equal([CaseStatus.Won, CaseStatus.Resigned], terminal);
    }

    [Fact]
    public void An_undefined_status_is_refused_with_the_allowed_names()
    {
        var error = Assert.Single(FunnelRules.Validate(CaseStatus.New, (CaseStatus)42, CompleteForm));

        Assert.Equal("status", error.Field);
        Assert.Contains("in_acquisition", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CaseStatus.New, "new")]
    [InlineData(CaseStatus.InAcquisition, "in_acquisition")]
    [InlineData(CaseStatus.Offered, "offered")]
    [InlineData(CaseStatus.Won, "won")]
    [InlineData(CaseStatus.Resigned, "resigned")]
    public void Status_wire_names_go_both_ways(CaseStatus status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.True(CaseStatusWire.TryParse(wire, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Theory]
    [InlineData("InAcquisition")]
    [InlineData("NEW")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_status_names_do_not_parse(string? wire)
    {
        Assert.False(CaseStatusWire.TryParse(wire, out _));
    }
}
