using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Forecasting;

/// <summary>
/// Expected won deals and their value over the next weeks by three methods side by side, with the recent weeks'
/// actual wins beside them. Pure: the same inputs always give the same forecast.
/// <list type="bullet">
/// <item>Stage-weighted: each open case counts its stage's win probability (<see cref="StageProbabilities"/>), in the week
/// of its expected close date (a date already past: the first week; no date: spread evenly over the horizon; a date past
/// the horizon: not in it).</item>
/// <item>From cycle length: a case open for a weeks since its first contact is won in forecast week j with the chance the
/// history gives, among the closed cases still open at a weeks, of a win at a + j weeks (new cases start at 0). Fewer than
/// <see cref="MinimumCycleHistory"/> closed cases say too little about timing: the method then gives no forecast.</item>
/// <item>From the trend: the straight line through the recent weeks' wins, read forward.</item>
/// </list>
/// Values are wins times the campaign's deal value (the trend fits the weekly value itself).
/// </summary>
public static class SalesForecast
{
    public const int MaxWeeks = 52;

    /// <summary>Closed cases below which the cycle-length method stays silent (one or two cases would be read as certainty).</summary>
    public const int MinimumCycleHistory = 20;

    public static SalesForecastResult Compute(ForecastInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Weeks is < 1 or > MaxWeeks)
        {
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs.Weeks, $"weeks: must be between 1 and {MaxWeeks}.");
        }

        var n = inputs.Weeks;
        var probabilities = StageProbabilities.OpenStages.ToDictionary(s => s, s => StageProbabilities.Of(s, inputs.Stages));
        decimal Value(long campaignId) => inputs.DealValues.GetValueOrDefault(campaignId);

        var stageWins = new double[n];
        var stageValue = new double[n];
        double beyondWins = 0;
        foreach (var open in inputs.Pipeline)
        {
            if (!probabilities.TryGetValue(open.Stage, out var p) || open.Count <= 0)
            {
                continue;
            }

            var wins = open.Count * p;
            var value = (double)Value(open.CampaignId);
            if (open.CloseWeek is not { } week)
            {
                for (var j = 0; j < n; j++)
                {
                    stageWins[j] += wins / n;
                    stageValue[j] += wins / n * value;
                }
            }
            else if (week >= n)
            {
                beyondWins += wins;
            }
            else
            {
                var j = Math.Max(0, week);
                stageWins[j] += wins;
                stageValue[j] += wins * value;
            }
        }

        var cycleWins = new double[n];
        var cycleValue = new double[n];
        var won = inputs.Cycles.Won;
        var closed = inputs.Cycles.Closed;
        var stillOpen = new double[closed.Count + 1];
        for (var w = closed.Count - 1; w >= 0; w--)
        {
            stillOpen[w] = stillOpen[w + 1] + closed[w];
        }

        var cycleKnown = inputs.Cycles.TotalClosed >= MinimumCycleHistory;
        foreach (var open in cycleKnown ? inputs.Ages : [])
        {
            var a = Math.Max(0, open.AgeWeek);
            if (open.Count <= 0 || a >= closed.Count - 1 || stillOpen[a] <= 0)
            {
                // No closed case of the history lived this long (or only in the open-ended last week): nothing to learn from.
                continue;
            }

            var value = (double)Value(open.CampaignId);
            for (var j = 0; j < n && a + j < won.Count - 1; j++)
            {
                var wins = open.Count * won[a + j] / stillOpen[a];
                cycleWins[j] += wins;
                cycleValue[j] += wins * value;
            }
        }

        var k = Math.Max(0, inputs.RecentWeeks);
        var actualWins = new double[k];
        var actualValue = new double[k];
        foreach (var week in inputs.RecentWins)
        {
            var t = k + week.Week;
            if (t >= 0 && t < k)
            {
                actualWins[t] += week.Won;
                actualValue[t] += week.Won * (double)Value(week.CampaignId);
            }
        }

        var weeks = new List<ForecastWeek>(k + n);
        for (var t = 0; t < k; t++)
        {
            weeks.Add(new ForecastWeek(t - k, inputs.AsOf.AddDays(7 * (t - k)), actualWins[t], actualValue[t], null, null, null, null, null, null));
        }

        for (var j = 0; j < n; j++)
        {
            weeks.Add(new ForecastWeek(
                j,
                inputs.AsOf.AddDays(7 * j),
                null,
                null,
                stageWins[j],
                stageValue[j],
                cycleKnown ? cycleWins[j] : null,
                cycleKnown ? cycleValue[j] : null,
                Trend.Extend(actualWins, j),
                Trend.Extend(actualValue, j)));
        }

        return new SalesForecastResult(weeks, probabilities, inputs.Stages.Closed(CaseStatus.New), inputs.Cycles.TotalClosed, beyondWins);
    }
}

/// <summary>
/// One week: past weeks (negative) carry the actual wins, coming weeks (0 and on) the three forecasts. Wins are
/// expected numbers of deals (fractions), values in the campaigns' currency.
/// </summary>
public sealed record ForecastWeek(
    int Week,
    DateTimeOffset Start,
    double? ActualWins,
    double? ActualValue,
    double? StageWeightedWins,
    double? StageWeightedValue,
    double? CycleWins,
    double? CycleValue,
    double? TrendWins,
    double? TrendValue);

/// <param name="StageProbabilities">The win probability used per open stage.</param>
/// <param name="ClosedCases">Closed cases the stage probabilities learned from.</param>
/// <param name="CycleCases">Closed cases the cycle lengths were learned from.</param>
/// <param name="BeyondHorizon">Stage-weighted wins expected after the last week (close dates past the horizon).</param>
public sealed record SalesForecastResult(
    IReadOnlyList<ForecastWeek> Weeks,
    IReadOnlyDictionary<CaseStatus, double> StageProbabilities,
    long ClosedCases,
    long CycleCases,
    double BeyondHorizon);
