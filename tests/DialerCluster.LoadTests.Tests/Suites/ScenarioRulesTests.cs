using DialerCluster.LoadTests.Cli;
using DialerCluster.LoadTests.Dialer;
using DialerCluster.LoadTests.InMemory;
using DialerCluster.LoadTests.Scenarios;

namespace DialerCluster.LoadTests.Tests.Suites;

public sealed class ScenarioRulesTests
{
    [Theory]
    [InlineData(1, 25)]
    [InlineData(2, 50)]
    [InlineData(7, 5)]
    public void Mixed_day_draws_hit_their_share_within_a_point_over_many_iterations(int salt, int percent)
    {
        var hits = 0;
        const int draws = 100_000;
        for (var copy = 0; copy < 100; copy++)
        {
            for (var iteration = 0; iteration < draws / 100; iteration++)
            {
                hits += MixedDay.Roll(copy, iteration, salt) < percent ? 1 : 0;
            }
        }

        Assert.InRange(100.0 * hits / draws, percent - 1, percent + 1);
    }

    [Fact]
    public void Mixed_day_draws_are_the_same_for_the_same_agent_and_iteration_and_differ_by_salt()
    {
        Assert.Equal(MixedDay.Roll(3, 17, 1), MixedDay.Roll(3, 17, 1));
        var bySalt = Enumerable.Range(0, 50).Select(i => (MixedDay.Roll(i, 5, 1), MixedDay.Roll(i, 5, 2))).ToList();
        Assert.Contains(bySalt, pair => pair.Item1 != pair.Item2);
    }

    [Theory]
    [InlineData("""{"type":"x","title":"Conflict","status":409,"detail":"agent 1234 holds case 98765 of campaign 3"}""", "agent N holds case N of campaign N")]
    [InlineData("""{"title":"Not allowed"}""", "Not allowed")]
    [InlineData("", "(empty body)")]
    [InlineData("plain text 500", "plain text N")]
    public void A_refusal_is_reduced_to_its_detail_with_ids_masked_so_alike_errors_add_up(string body, string expected) =>
        Assert.Equal(expected, AgentResponses.Detail(body));

    [Theory]
    [InlineData("auto", 1, nameof(SignInMode.Agents))]
    [InlineData("auto", SuiteOptions.AgentUsersUpTo, nameof(SignInMode.Agents))]
    [InlineData("auto", SuiteOptions.AgentUsersUpTo + 1, nameof(SignInMode.Supervisor))]
    [InlineData("agents", 10_000, nameof(SignInMode.Agents))]
    [InlineData("supervisor", 5, nameof(SignInMode.Supervisor))]
    public void Sign_in_auto_gives_agents_their_own_users_up_to_the_limit(string text, int agents, string expected) =>
        Assert.Equal(expected, SuiteOptions.SignInOf(text, agents, "--sign-in").ToString());

    [Fact]
    public void The_in_memory_probe_assigns_each_case_at_most_once_when_every_outcome_schedules_a_retry()
    {
        var result = CampaignQueueProbe.Measure(cases: 500, agents: 7, during: TimeSpan.FromSeconds(5));

        // Warm-up takes a tenth, the measured part the rest, and then the queue has nothing eligible left.
        Assert.Equal(450, result.Assignments);
        Assert.True(result.PerSecond > 0);
        Assert.Contains("CampaignQueue.TryTake + Release", result.Describe());
    }
}
