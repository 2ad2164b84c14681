using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Tests.Cases;

public sealed class HoldEndTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_agents_own_call_attempt_as_the_latest_hold_line_is_a_completion()
    {
        var end = HoldEnd.Of(History(CaseActivity.Assigned("7", T0), CaseActivity.CallAttempt(CallOutcome.Busy, T0.AddMinutes(1), "7")), "7");

        Assert.Equal(HoldEndKind.Completed, end.Kind);
        Assert.Equal(CallOutcome.Busy, end.Activity!.Outcome);
    }

    [Fact]
    public void Notes_and_status_changes_after_the_attempt_do_not_hide_it()
    {
        var end = HoldEnd.Of(History(
            CaseActivity.CallAttempt(CallOutcome.Talked, T0, "7"),
            CaseActivity.NoteChanged("call back Monday", T0.AddSeconds(5), "7"),
            CaseActivity.StatusChanged(CaseStatus.New, CaseStatus.InAcquisition, T0.AddSeconds(6), "7")), "7");

        Assert.Equal(HoldEndKind.Completed, end.Kind);
    }

    [Fact]
    public void A_hold_timeout_release_of_the_agents_hold_is_a_lapse()
    {
        var end = HoldEnd.Of(History(CaseActivity.CallAttempt(CallOutcome.Busy, T0, "7"), CaseActivity.Released("7", T0.AddMinutes(20), HoldEnd.HoldTimeout)), "7");

        Assert.Equal(HoldEndKind.Lapsed, end.Kind);
    }

    [Theory]
    [MemberData(nameof(NotThisAgentsEnd))]
    public void Anything_later_than_the_agents_own_line_leaves_the_end_unknown(CaseActivity latest)
    {
        var end = HoldEnd.Of(History(CaseActivity.CallAttempt(CallOutcome.Busy, T0, "7"), latest), "7");

        Assert.Equal(default, end);
    }

    public static TheoryData<CaseActivity> NotThisAgentsEnd() => new()
    {
        CaseActivity.CallAttempt(CallOutcome.NoAnswer, T0.AddHours(1), "8"),
        CaseActivity.CallAttempt(CallOutcome.Abandoned, T0.AddHours(1), CaseActivity.System),
        CaseActivity.Released("8", T0.AddHours(1), HoldEnd.HoldTimeout),
        CaseActivity.Released("7", T0.AddHours(1)),
        CaseActivity.Assigned("7", T0.AddHours(1)),
        CaseActivity.Assigned("8", T0.AddHours(1)),
    };

    [Fact]
    public void An_empty_history_says_nothing()
    {
        Assert.Equal(default, HoldEnd.Of([], "7"));
    }

    private static StoredActivity[] History(params CaseActivity[] activities) =>
        [.. activities.Select((activity, i) => new StoredActivity(i + 1, 42, activity))];
}
