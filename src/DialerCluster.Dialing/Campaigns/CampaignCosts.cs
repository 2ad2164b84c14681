using System.Globalization;
using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Campaigns;

/// <summary>How long a campaign's budget lasts before it starts again.</summary>
public enum BudgetPeriod
{
    Week = 0,
    Month = 1,
}

public static class BudgetPeriodWire
{
    private static readonly WireNames<BudgetPeriod> Names = new((BudgetPeriod.Week, "week"), (BudgetPeriod.Month, "month"));

    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this BudgetPeriod period) => Names.ToWire(period);

    public static bool TryParse(string? wire, out BudgetPeriod period) => Names.TryParse(wire, out period);

    /// <summary>A month counts as the calendar's average (365.25 / 12 days) when a budget is spread over another period.</summary>
    public static TimeSpan Length(this BudgetPeriod period) => period switch
    {
        BudgetPeriod.Week => TimeSpan.FromDays(7),
        BudgetPeriod.Month => TimeSpan.FromDays(365.25 / 12),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };
}

/// <summary>
/// What a campaign costs and may spend: an agent hour, a connected call minute, and the budget per week or month
/// (null: none). Amounts are in the contact center's one currency, kept to the millionth (stored as micro-units).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CampaignCosts(
    [property: Id(0)] decimal AgentHourCost = 0,
    [property: Id(1)] decimal CallMinuteCost = 0,
    [property: Id(2)] decimal? Budget = null,
    [property: Id(3)] BudgetPeriod BudgetPeriod = BudgetPeriod.Month)
{
    public const decimal MaxAmount = 1_000_000_000m;
    public const int MaxDecimals = 6;

    public static CampaignCosts None { get; } = new();

    /// <summary>Every problem, with fields named under <paramref name="prefix"/> as the API spells them.</summary>
    public void Validate(List<FieldError> errors, string prefix)
    {
        CheckAmount(errors, $"{prefix}.agentHourCost", AgentHourCost);
        CheckAmount(errors, $"{prefix}.callMinuteCost", CallMinuteCost);
        if (Budget is { } budget)
        {
            CheckAmount(errors, $"{prefix}.budget", budget);
        }

        if (!Enum.IsDefined(BudgetPeriod))
        {
            errors.Add(new($"{prefix}.budgetPeriod", $"must be one of {string.Join(", ", BudgetPeriodWire.All)}"));
        }
    }

    /// <summary>An amount of money: from 0 to <see cref="MaxAmount"/>, at most <see cref="MaxDecimals"/> decimals (micro-units).</summary>
    public static void CheckAmount(List<FieldError> errors, string field, decimal amount)
    {
        if (amount < 0 || amount > MaxAmount || decimal.Round(amount, MaxDecimals) != amount)
        {
            errors.Add(new(field, string.Create(
                CultureInfo.InvariantCulture, $"must be an amount from 0 to {MaxAmount:N0} with at most {MaxDecimals} decimals, not {amount}")));
        }
    }
}
