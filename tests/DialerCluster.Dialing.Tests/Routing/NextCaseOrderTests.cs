using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using static DialerCluster.Dialing.Tests.Routing.RoutingWorld;

namespace DialerCluster.Dialing.Tests.Routing;

/// <summary>
/// Each row: the cases in a campaign, who asks (always "ann"), who is away since when, the do-not-call list,
/// and the case Next case must give. Every row runs through both the policy and the queue.
/// </summary>
public sealed class NextCaseOrderTests
{
    private const string Ann = "ann";
    private const string Bob = "bob";
    private const string Cid = "cid";

    private sealed record Scenario(
        CaseCandidate[] Cases,
        long? Expected,
        (string Agent, int AwayMinutes)[]? Away = null,
        string[]? DoNotCall = null);

    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        // (a) own due callbacks come first
        ["Own_due_callback_beats_owned_priority_and_age"] = new(
            [
                Case(1, ageMinutes: 1).Owned(Ann).Callback(-1),
                Case(2).Owned(Ann).WithPriority(CasePriority.High),
                Case(3, ageMinutes: 9999).WithPriority(CasePriority.High),
                Case(4).Owned(Bob).Callback(-500),
            ],
            Expected: 1,
            Away: [(Bob, 600)]),
        ["Earliest_due_own_callback_first_whatever_its_priority"] = new(
            [
                Case(1).Owned(Ann).Callback(-5).WithPriority(CasePriority.High),
                Case(2).Owned(Ann).Callback(-30),
            ],
            Expected: 2),
        ["Own_callbacks_due_at_the_same_time_go_by_priority"] = new(
            [
                Case(1).Owned(Ann).Callback(-5),
                Case(2).Owned(Ann).Callback(-5).WithPriority(CasePriority.Normal),
            ],
            Expected: 2),
        ["A_callback_due_exactly_now_is_due"] = new(
            [Case(1).Owned(Ann).Callback(0), Case(2).Owned(Ann)],
            Expected: 1),

        // (b) then ready cases the agent owns
        ["Owned_case_beats_unowned_high_priority"] = new(
            [Case(1, ageMinutes: 1).Owned(Ann), Case(2, ageMinutes: 9999).WithPriority(CasePriority.High)],
            Expected: 1),
        ["Owned_cases_go_by_priority"] = new(
            [Case(1, ageMinutes: 500).Owned(Ann), Case(2, ageMinutes: 5).Owned(Ann).WithPriority(CasePriority.Normal)],
            Expected: 2),
        ["Owned_cases_of_equal_priority_go_oldest_first"] = new(
            [Case(1, ageMinutes: 5).Owned(Ann), Case(2, ageMinutes: 50).Owned(Ann)],
            Expected: 2),
        ["Owned_case_beats_someone_elses_fallback_callback"] = new(
            [Case(1).Owned(Ann), Case(2).Owned(Bob).Callback(-60)],
            Expected: 1,
            Away: [(Bob, 600)]),

        // (c) then due callbacks whose owner is away past the fallback (or that have no owner)
        ["Callback_of_an_owner_away_past_the_fallback_beats_priority"] = new(
            [Case(1).Owned(Bob).Callback(-10), Case(2, ageMinutes: 9999).WithPriority(CasePriority.High)],
            Expected: 1,
            Away: [(Bob, 45)]),
        ["Owner_away_exactly_the_fallback_releases_the_callback"] = new(
            [Case(1).Owned(Bob).Callback(-10), Case(2)],
            Expected: 1,
            Away: [(Bob, 30)]),
        ["Unowned_due_callback_beats_priority"] = new(
            [Case(1).Callback(-10), Case(2, ageMinutes: 9999).WithPriority(CasePriority.High)],
            Expected: 1),
        ["Fallback_callbacks_go_earliest_due_first_across_owners"] = new(
            [
                Case(1).Owned(Bob).Callback(-10),
                Case(2).Owned(Cid).Callback(-40),
                Case(3).Callback(-20).WithPriority(CasePriority.High),
            ],
            Expected: 2,
            Away: [(Bob, 60), (Cid, 60)]),

        // (d) priority, (e) age
        ["High_priority_first"] = new(
            [Case(1, ageMinutes: 900), Case(2, ageMinutes: 10).WithPriority(CasePriority.High), Case(3, ageMinutes: 800).WithPriority(CasePriority.Normal)],
            Expected: 2),
        ["Normal_before_low"] = new(
            [Case(1, ageMinutes: 900), Case(3, ageMinutes: 1).WithPriority(CasePriority.Normal)],
            Expected: 3),
        ["Oldest_first_within_a_priority"] = new(
            [Case(1, ageMinutes: 10), Case(2, ageMinutes: 30), Case(3, ageMinutes: 20)],
            Expected: 2),
        ["Equal_age_goes_by_lowest_case_id"] = new(
            [Case(7, ageMinutes: 10), Case(5, ageMinutes: 10), Case(6, ageMinutes: 10)],
            Expected: 5),
        ["Someone_elses_ready_case_is_served_by_priority_like_any_other"] = new(
            [Case(1, ageMinutes: 10).Owned(Bob).WithPriority(CasePriority.High), Case(2, ageMinutes: 900).WithPriority(CasePriority.Normal)],
            Expected: 1),
        ["The_best_open_zone_wins_across_zones"] = new(
            [Case(1, ageMinutes: 10), Case(2, ageMinutes: 20) with { TimeZone = London }, Case(3, ageMinutes: 99) with { TimeZone = NewYork }],
            Expected: 2),

        // never
        ["Never_a_won_case"] = new([Case(1, 900) with { Status = CaseStatus.Won }, Case(99)], Expected: 99),
        ["Never_a_resigned_case"] = new([Case(1, 900) with { Status = CaseStatus.Resigned }, Case(99)], Expected: 99),
        ["Never_a_case_held_by_another_agent"] = new(
            [Case(1, 900).Owned(Ann) with { HolderAgentId = Bob, HoldExpiresAt = T0.AddMinutes(5) }, Case(99)],
            Expected: 99),
        ["Never_an_own_callback_not_yet_due"] = new([Case(1).Owned(Ann).Callback(1), Case(99)], Expected: 99),
        ["Never_an_unowned_callback_not_yet_due"] = new([Case(1).Callback(1), Case(99)], Expected: 99),
        ["Never_a_retry_not_yet_due"] = new([Case(1, 900) with { NextEligibleAt = T0.AddSeconds(1) }, Case(99)], Expected: 99),
        ["A_retry_due_now_is_offered"] = new([Case(1, 900) with { NextEligibleAt = T0 }, Case(99)], Expected: 1),
        ["Never_a_due_callback_whose_retry_is_not_yet_due"] = new(
            [Case(1).Owned(Ann).Callback(-10) with { NextEligibleAt = T0.AddMinutes(1) }, Case(99)],
            Expected: 99),
        ["Never_outside_the_calling_window_in_new_york"] = new(
            [Case(1, 900).Owned(Ann).Callback(-10) with { TimeZone = NewYork }, Case(2, 900).Owned(Ann) with { TimeZone = NewYork }, Case(99)],
            Expected: 99),
        ["Never_at_the_end_of_the_window_in_tokyo"] = new([Case(1, 900) with { TimeZone = Tokyo }, Case(99)], Expected: 99),
        ["Never_a_number_on_the_do_not_call_list"] = new(
            [Case(1, 900).Owned(Ann).Callback(-1), Case(99)],
            Expected: 99,
            DoNotCall: [Case(1).Phone]),
        ["Never_a_case_at_its_maximum_attempts"] = new([Case(1, 900) with { Attempts = 3 }, Case(99)], Expected: 99),
        ["A_case_below_its_maximum_attempts_is_offered"] = new([Case(1, 900) with { Attempts = 2 }, Case(99)], Expected: 1),
        ["Never_the_callback_of_an_owner_who_is_working"] = new([Case(1, 900).Owned(Bob).Callback(-60), Case(99)], Expected: 99),
        ["Never_the_callback_of_an_owner_away_less_than_the_fallback"] = new(
            [Case(1, 900).Owned(Bob).Callback(-60), Case(99)],
            Expected: 99,
            Away: [(Bob, 29)]),
        ["Nothing_eligible_gives_nothing"] = new(
            [Case(1) with { TimeZone = NewYork }, Case(2).Callback(10), Case(3) with { Status = CaseStatus.Won }],
            Expected: null),
        ["An_empty_campaign_gives_nothing"] = new([], Expected: null),
    };

    public static TheoryData<string> Names() => new(Scenarios.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Policy_picks_the_case_the_order_says(string name)
    {
        var (scenario, context) = Arrange(name);

        var picked = NextCasePolicy.PickBest(scenario.Cases, Ann, T0, context);

        Assert.Equal(scenario.Expected, picked?.CaseId);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Queue_gives_the_case_the_order_says_and_holds_it(string name)
    {
        var (scenario, context) = Arrange(name);
        var queue = QueueOf(scenario.Cases);

        var taken = queue.TryTake(Ann, T0, context, out var candidate);

        Assert.Equal(scenario.Expected, candidate?.CaseId);
        Assert.Equal(scenario.Expected is not null, taken);
        if (candidate is not null)
        {
            Assert.Equal(Ann, queue.HolderOf(candidate.CaseId));
        }
    }

    [Fact]
    public void Tiers_read_in_the_documented_order()
    {
        Assert.Equal(NextCaseTier.OwnDueCallback, NextCasePolicy.TierOf(Case(1).Owned(Ann).Callback(-1), Ann));
        Assert.Equal(NextCaseTier.Owned, NextCasePolicy.TierOf(Case(1).Owned(Ann), Ann));
        Assert.Equal(NextCaseTier.FallbackCallback, NextCasePolicy.TierOf(Case(1).Owned(Bob).Callback(-1), Ann));
        Assert.Equal(NextCaseTier.FallbackCallback, NextCasePolicy.TierOf(Case(1).Callback(-1), Ann));
        Assert.Equal(NextCaseTier.General, NextCasePolicy.TierOf(Case(1).Owned(Bob), Ann));
        Assert.Equal(NextCaseTier.General, NextCasePolicy.TierOf(Case(1), Ann));
    }

    private static (Scenario Scenario, NextCaseContext Context) Arrange(string name)
    {
        var scenario = Scenarios[name];
        var owners = new OwnerPresenceTable();
        foreach (var (agent, minutes) in scenario.Away ?? [])
        {
            owners.MarkAway(agent, T0.AddMinutes(-minutes));
        }

        return (scenario, new NextCaseContext(Settings, owners, new DoNotCallSet(scenario.DoNotCall)));
    }
}
