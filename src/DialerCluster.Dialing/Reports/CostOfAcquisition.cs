using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Reports;

/// <summary>
/// What each campaign cost in a period and what an acquired client cost it. Pure: counts in, money out.
/// <list type="bullet">
/// <item>Call cost: connected minutes (answer to hang-up, every call of the campaign) times the campaign's minute cost.</item>
/// <item>Agent cost: each agent's signed-in time (every state but offline, breaks included: they are paid) is shared among
/// the campaigns the agent talked in during the period, in proportion to the talk time, times the campaign's hour cost.
/// An agent who talked in no campaign cannot be placed: their hours are reported as unattributed.</item>
/// <item>Cost per acquired client: the cost over the cases won in the period; none without a win.</item>
/// <item>Budget: the budget per week or month spread over the period's length; used = cost / that.</item>
/// </list>
/// </summary>
public static class CostOfAcquisition
{
    public static SpendReport Compute(SpendInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var length = inputs.To - inputs.From;
        var talkOfAgent = inputs.Talk.GroupBy(t => t.AgentId).ToDictionary(g => g.Key, g => g.Sum(t => t.Talk.TotalMilliseconds));
        var agentHours = new Dictionary<long, double>();
        double unattributed = 0;
        foreach (var agent in inputs.SignedIn)
        {
            var hours = agent.SignedIn.TotalHours;
            if (!talkOfAgent.TryGetValue(agent.AgentId, out var total) || total <= 0)
            {
                unattributed += hours;
                continue;
            }

            foreach (var talk in inputs.Talk.Where(t => t.AgentId == agent.AgentId && t.Talk > TimeSpan.Zero))
            {
                agentHours[talk.CampaignId] = agentHours.GetValueOrDefault(talk.CampaignId) + (hours * talk.Talk.TotalMilliseconds / total);
            }
        }

        var rows = new List<CampaignSpend>();
        foreach (var campaign in inputs.Campaigns.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.CampaignId))
        {
            var calls = inputs.Calls.FirstOrDefault(c => c.CampaignId == campaign.CampaignId);
            var minutes = (decimal)(calls?.Connected.TotalMinutes ?? 0);
            var hours = (decimal)agentHours.GetValueOrDefault(campaign.CampaignId);
            var costs = campaign.Costs;
            var agentCost = Money(hours * costs.AgentHourCost);
            var callCost = Money(minutes * costs.CallMinuteCost);
            var cost = agentCost + callCost;
            var won = calls?.Won ?? 0;
            decimal? budget = costs.Budget is { } perPeriod
                ? Money(perPeriod * (decimal)(length.TotalDays / costs.BudgetPeriod.Length().TotalDays))
                : null;
            rows.Add(new CampaignSpend(
                campaign.CampaignId,
                campaign.Name,
                (double)hours,
                (double)minutes,
                agentCost,
                callCost,
                cost,
                won,
                won > 0 ? Money(cost / won) : null,
                budget,
                budget is > 0 ? (double)(cost / budget.Value) : null));
        }

        return new SpendReport(rows, unattributed);
    }

    /// <summary>To the cent, half away from zero, as a bill would.</summary>
    private static decimal Money(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}

/// <param name="Campaigns">The campaigns to report, with their cost settings.</param>
/// <param name="Calls">Per campaign: connected call time and cases won in the period.</param>
/// <param name="Talk">Per agent and campaign: the agent's talk time in the period.</param>
/// <param name="SignedIn">Per agent: time signed in (not offline) in the period.</param>
public sealed record SpendInputs(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<CampaignCostSettings> Campaigns,
    IReadOnlyList<CampaignCalls> Calls,
    IReadOnlyList<AgentTalk> Talk,
    IReadOnlyList<AgentSignedIn> SignedIn);

public sealed record CampaignCostSettings(long CampaignId, string Name, CampaignCosts Costs);

public sealed record CampaignCalls(long CampaignId, TimeSpan Connected, long Won);

public sealed record AgentTalk(long AgentId, long CampaignId, TimeSpan Talk);

public sealed record AgentSignedIn(long AgentId, TimeSpan SignedIn);

/// <param name="BudgetUsed">Cost over the period's budget (1 = all of it); none without a budget.</param>
public sealed record CampaignSpend(
    long CampaignId,
    string Name,
    double AgentHours,
    double CallMinutes,
    decimal AgentCost,
    decimal CallCost,
    decimal Cost,
    long Won,
    decimal? CostPerAcquisition,
    decimal? BudgetForPeriod,
    double? BudgetUsed);

/// <param name="UnattributedAgentHours">Signed-in hours of agents who talked in no campaign of the period.</param>
public sealed record SpendReport(IReadOnlyList<CampaignSpend> Campaigns, double UnattributedAgentHours);
