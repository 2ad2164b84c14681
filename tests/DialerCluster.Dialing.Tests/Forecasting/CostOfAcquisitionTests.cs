using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Reports;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Forecasting;

public sealed class CostOfAcquisitionTests
{
    private static readonly DateTimeOffset From = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Agent_hours_follow_talk_time_calls_cost_by_the_minute_and_a_client_costs_the_total_over_the_wins()
    {
        // Ada: 10 h signed in, talked 30 min in One and 10 min in Two: 7.5 h to One, 2.5 h to Two.
        // Bob: 4 h, talked only in One. Cy: 2 h, no talk: unattributed.
        var report = CostOfAcquisition.Compute(new SpendInputs(
            From,
            From.AddDays(7),
            [
                new CampaignCostSettings(1, "One", new CampaignCosts(AgentHourCost: 20m, CallMinuteCost: 0.05m, Budget: 1000m, BudgetPeriod: BudgetPeriod.Week)),
                new CampaignCostSettings(2, "Two", new CampaignCosts(AgentHourCost: 30m, CallMinuteCost: 0.10m)),
            ],
            [new CampaignCalls(1, TimeSpan.FromMinutes(50), 3), new CampaignCalls(2, TimeSpan.FromMinutes(10), 0)],
            [
                new AgentTalk(1, 1, TimeSpan.FromMinutes(30)),
                new AgentTalk(1, 2, TimeSpan.FromMinutes(10)),
                new AgentTalk(2, 1, TimeSpan.FromMinutes(20)),
            ],
            [new AgentSignedIn(1, TimeSpan.FromHours(10)), new AgentSignedIn(2, TimeSpan.FromHours(4)), new AgentSignedIn(3, TimeSpan.FromHours(2))]));

        var one = report.Campaigns[0];
        Assert.Equal((11.5, 50.0), (one.AgentHours, one.CallMinutes));
        Assert.Equal((230.00m, 2.50m, 232.50m), (one.AgentCost, one.CallCost, one.Cost));
        Assert.Equal((3L, 77.50m), (one.Won, one.CostPerAcquisition));
        Assert.Equal((1000.00m, 0.2325), (one.BudgetForPeriod, one.BudgetUsed));
        var two = report.Campaigns[1];
        Assert.Equal((2.5, 75.00m, 1.00m, 76.00m), (two.AgentHours, two.AgentCost, two.CallCost, two.Cost));
        Assert.Equal(((decimal?)null, (decimal?)null, (double?)null), (two.CostPerAcquisition, two.BudgetForPeriod, two.BudgetUsed));
        Assert.Equal(2, report.UnattributedAgentHours, 9);
    }

    [Fact]
    public void A_monthly_budget_is_spread_over_the_period_by_days()
    {
        var report = CostOfAcquisition.Compute(new SpendInputs(
            From,
            From.AddDays(365.25 / 12 / 2),
            [new CampaignCostSettings(1, "One", new CampaignCosts(Budget: 3000m, BudgetPeriod: BudgetPeriod.Month))],
            [],
            [],
            []));

        Assert.Equal(1500.00m, report.Campaigns[0].BudgetForPeriod);
        Assert.Equal(0, report.Campaigns[0].BudgetUsed);
    }

    [Fact]
    public void Every_signed_in_hour_is_placed_in_a_campaign_or_reported_as_unattributed()
    {
        var agents = Gen.Choose(1, 6);
        var property = Prop.ForAll(
            Arb.From(Gen.ListOf(from agent in agents from campaign in Gen.Choose(1, 3) from minutes in Gen.Choose(0, 600) select new AgentTalk(agent, campaign, TimeSpan.FromMinutes(minutes)))),
            Arb.From(Gen.ListOf(from agent in agents from hours in Gen.Choose(0, 40) select new AgentSignedIn(agent, TimeSpan.FromHours(hours)))),
            (talk, signedIn) =>
            {
                var distinct = signedIn.DistinctBy(s => s.AgentId).ToArray();
                var campaigns = Enumerable.Range(1, 3).Select(i => new CampaignCostSettings(i, $"C{i}", new CampaignCosts(AgentHourCost: 10m))).ToArray();
                var report = CostOfAcquisition.Compute(new SpendInputs(From, From.AddDays(1), campaigns, [], talk.ToArray(), distinct));
                var placed = report.Campaigns.Sum(c => c.AgentHours) + report.UnattributedAgentHours;
                return Math.Abs(placed - distinct.Sum(s => s.SignedIn.TotalHours)) < 1e-6
                    && report.Campaigns.All(c => c.Cost >= 0 && c.CostPerAcquisition is null);
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
