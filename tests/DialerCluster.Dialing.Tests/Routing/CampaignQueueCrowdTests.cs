using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Routing;
using static DialerCluster.Dialing.Tests.Routing.RoutingWorld;

namespace DialerCluster.Dialing.Tests.Routing;

/// <summary>
/// 200 agents working through 10,000 cases, one request at a time as the campaign grain serialises them.
/// Every completed call closes its case or sends it to a retry beyond the test's clock, so no case may ever
/// be handed out twice.
/// </summary>
public sealed class CampaignQueueCrowdTests
{
    [Fact]
    public void Two_hundred_agents_over_ten_thousand_cases_never_get_the_same_case()
    {
        var random = new Random(20250310);
        var zones = new[] { Berlin, London, Kolkata };
        var agents = Enumerable.Range(0, 200).Select(i => $"agent-{i:D3}").ToArray();
        var queue = new CampaignQueue();
        for (var id = 1; id <= 10_000; id++)
        {
            queue.Add(new CaseCandidate(id, $"+4930{id:D7}", zones[id % zones.Length], T0.AddMinutes(-random.Next(0, 5000)))
            {
                Priority = (CasePriority)random.Next(0, 3),
                OwnerAgentId = random.Next(0, 4) == 0 ? agents[random.Next(agents.Length)] : null,
            });
        }

        var context = new NextCaseContext(Settings, new OwnerPresenceTable(), new DoNotCallSet());
        var handedOut = new HashSet<long>();
        var holding = new Dictionary<string, long>();
        var now = T0;

        while (handedOut.Count < 10_000)
        {
            var agent = agents[random.Next(agents.Length)];
            if (holding.TryGetValue(agent, out var heldId))
            {
                var held = queue.TryGet(heldId, out var snapshot) ? snapshot : throw new InvalidOperationException();
                var done = random.Next(0, 2) == 0
                    ? held with { Status = CaseStatus.Won, Attempts = held.Attempts + 1 }
                    : held with { Attempts = held.Attempts + 1, NextEligibleAt = now.AddDays(1) };
                Assert.True(queue.Release(agent, done));
                holding.Remove(agent);
                continue;
            }

            Assert.True(queue.TryTake(agent, now, context, out var candidate), $"{agent} got nothing with {10_000 - handedOut.Count} cases left");
            Assert.True(handedOut.Add(candidate.CaseId), $"case {candidate.CaseId} handed out twice");
            Assert.DoesNotContain(candidate.CaseId, holding.Values);
            holding[agent] = candidate.CaseId;
            now = now.AddMilliseconds(50);
        }

        Assert.Equal(10_000, handedOut.Count);
        Assert.Equal(holding.Count, queue.Counts.Held);
        Assert.All(agents.Where(a => !holding.ContainsKey(a)), a => Assert.False(queue.TryTake(a, now, context, out _)));
    }
}
