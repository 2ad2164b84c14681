using System.Collections.Concurrent;
using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Tests.Grains;

public sealed class NextCaseConcurrencyTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    [Fact]
    public async Task Two_hundred_agents_in_parallel_over_ten_thousand_cases_never_get_the_same_case()
    {
        await using var world = new GrainWorld(silo);
        var campaign = await world.CampaignAsync(new CampaignSettings { Name = "rush" });
        for (var i = 0; i < 10_000; i++)
        {
            world.Stores.AddCase(campaign, $"+4930{i:D8}");
        }

        var agents = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            agents.Add(await world.ReadyAgentAsync(campaign, $"agent {i}"));
        }

        var handedOut = new ConcurrentBag<(long Agent, long Case)>();
        await Task.WhenAll(agents.Select(agent => Task.Run(async () =>
        {
            while (await world.NextCaseAsync(agent, campaign) is { } offer)
            {
                handedOut.Add((agent, offer.Case.Id));

                // No answer: retried hours later, so within the test a case comes back at most... never.
                await world.CompleteAsync(agent, CallOutcome.NoAnswer);
            }
        })));

        var cases = handedOut.Select(h => h.Case).ToArray();
        Assert.Equal(10_000, cases.Length);
        Assert.Equal(cases.Length, cases.Distinct().Count());
        Assert.Equal(10_000, world.Stores.HoldCalls);
        Assert.True(handedOut.Select(h => h.Agent).Distinct().Count() > 1, "the work was spread over several agents");
    }
}
