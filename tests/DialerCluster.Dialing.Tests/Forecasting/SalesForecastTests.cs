using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Funnel;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Forecasting;

public sealed class SalesForecastTests
{
    private static readonly DateTimeOffset AsOf = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<long, decimal> Values = new() { [1] = 1000m, [2] = 500m };

    /// <summary>Offered: 10 of 20 closed won, so (10 + 20 × 0.5) / 40 = 0.5; the other stages have no history: 0.25 and 0.05.</summary>
    private static readonly StageHistory Stages = new(
        new Dictionary<CaseStatus, long> { [CaseStatus.Offered] = 20 },
        new Dictionary<CaseStatus, long> { [CaseStatus.Offered] = 10 });

    private static ForecastInputs Inputs(
        IReadOnlyList<OpenCases>? pipeline = null,
        CycleHistory? cycles = null,
        IReadOnlyList<OpenAges>? ages = null,
        IReadOnlyList<WeeklyWins>? wins = null) =>
        new(AsOf, 4, Stages, pipeline ?? [], cycles ?? CycleHistory.Empty, ages ?? [], wins ?? [], 3, Values);

    [Fact]
    public void Stage_weighted_wins_land_in_the_week_of_the_expected_close_date_overdue_first_undated_spread()
    {
        var result = SalesForecast.Compute(Inputs(pipeline:
        [
            new OpenCases(1, CaseStatus.Offered, 1, 4),
            new OpenCases(1, CaseStatus.InAcquisition, -2, 2),
            new OpenCases(2, CaseStatus.New, null, 40),
            new OpenCases(2, CaseStatus.InAcquisition, 9, 8),
        ]));

        var ahead = result.Weeks.Where(w => w.Week >= 0).ToArray();
        Assert.Equal([1.0, 2.5, 0.5, 0.5], ahead.Select(w => Math.Round(w.StageWeightedWins!.Value, 9)));
        Assert.Equal([750.0, 2250.0, 250.0, 250.0], ahead.Select(w => Math.Round(w.StageWeightedValue!.Value, 9)));
        Assert.Equal(2, result.BeyondHorizon, 9);
        Assert.Equal(0.5, result.StageProbabilities[CaseStatus.Offered], 12);
        Assert.Equal([AsOf, AsOf.AddDays(7), AsOf.AddDays(14), AsOf.AddDays(21)], ahead.Select(w => w.Start));
    }

    [Fact]
    public void Cycle_forecasts_weigh_each_age_by_the_wins_of_cases_that_lived_as_long()
    {
        var cycles = new CycleHistory(Won: [0, 4, 8, 0, 0], Closed: [8, 8, 12, 4, 0]);
        var result = SalesForecast.Compute(Inputs(
            cycles: cycles,
            ages: [new OpenAges(1, 0, 8), new OpenAges(2, 2, 4), new OpenAges(2, 4, 3)]));

        var ahead = result.Weeks.Where(w => w.Week >= 0).ToArray();
        Assert.Equal([2.0, 1.0, 2.0, 0.0], ahead.Select(w => Math.Round(w.CycleWins!.Value, 9)));
        Assert.Equal([1000.0, 1000.0, 2000.0, 0.0], ahead.Select(w => Math.Round(w.CycleValue!.Value, 9)));
        Assert.Equal(32, result.CycleCases);
    }

    [Fact]
    public void With_fewer_than_twenty_closed_cases_the_cycle_method_gives_no_forecast()
    {
        var thin = new CycleHistory(Won: [1, 0], Closed: [2, 0]);

        var result = SalesForecast.Compute(Inputs(cycles: thin, ages: [new OpenAges(1, 0, 8)]));

        Assert.All(result.Weeks.Where(w => w.Week >= 0), w => Assert.Equal(((double?)null, (double?)null), (w.CycleWins, w.CycleValue)));
        Assert.Equal(2, result.CycleCases);
    }

    [Fact]
    public void The_trend_runs_through_the_recent_weeks_which_are_shown_as_actuals()
    {
        var result = SalesForecast.Compute(Inputs(wins:
        [
            new WeeklyWins(1, -3, 1), new WeeklyWins(1, -2, 2), new WeeklyWins(1, -1, 3), new WeeklyWins(2, -1, 2), new WeeklyWins(2, -4, 50),
        ]));

        var past = result.Weeks.Where(w => w.Week < 0).ToArray();
        Assert.Equal([-3, -2, -1], past.Select(w => w.Week));
        Assert.Equal([1.0, 2.0, 5.0], past.Select(w => w.ActualWins!.Value));
        Assert.Equal([1000.0, 2000.0, 4000.0], past.Select(w => w.ActualValue!.Value));
        Assert.All(past, w => Assert.Null(w.TrendWins));
        var ahead = result.Weeks.Where(w => w.Week >= 0).ToArray();
        Assert.Equal([6.666667, 8.666667, 10.666667, 12.666667], ahead.Select(w => Math.Round(w.TrendWins!.Value, 6)));
        Assert.Equal(5333.333333, Math.Round(ahead[0].TrendValue!.Value, 6));
        Assert.All(ahead, w => Assert.Null(w.ActualWins));
    }

    [Fact]
    public void A_horizon_outside_one_to_fifty_two_weeks_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SalesForecast.Compute(Inputs() with { Weeks = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SalesForecast.Compute(Inputs() with { Weeks = 53 }));
    }

    private static readonly Gen<ForecastInputs> RandomInputs =
        from weeks in Gen.Choose(1, 12)
        from pipeline in Gen.ListOf(
            from campaign in Gen.Choose(1, 3)
            from stage in Gen.Elements(CaseStatus.New, CaseStatus.InAcquisition, CaseStatus.Offered)
            from week in Gen.Choose(-3, 15)
            from dated in Gen.Elements(true, false)
            from count in Gen.Choose(0, 500)
            select new OpenCases(campaign, stage, dated ? week : null, count))
        from closedReached in Gen.Choose(0, 300)
        from wonReached in Gen.Choose(0, 300)
        from length in Gen.Choose(0, 10)
        from won in Gen.ArrayOf(Gen.Choose(0, 30), length)
        from lost in Gen.ArrayOf(Gen.Choose(0, 30), length)
        from ages in Gen.ListOf(
            from campaign in Gen.Choose(1, 3)
            from age in Gen.Choose(0, 12)
            from count in Gen.Choose(0, 200)
            select new OpenAges(campaign, age, count))
        from recent in Gen.ListOf(
            from campaign in Gen.Choose(1, 3)
            from week in Gen.Choose(-8, -1)
            from count in Gen.Choose(0, 40)
            select new WeeklyWins(campaign, week, count))
        select new ForecastInputs(
            AsOf,
            weeks,
            new StageHistory(
                new Dictionary<CaseStatus, long> { [CaseStatus.New] = closedReached, [CaseStatus.Offered] = closedReached / 2 },
                new Dictionary<CaseStatus, long> { [CaseStatus.New] = Math.Min(wonReached, closedReached), [CaseStatus.Offered] = Math.Min(wonReached, closedReached / 2) }),
            pipeline.ToArray(),
            new CycleHistory(won.Select(x => (long)x).ToArray(), won.Zip(lost, (w, l) => (long)(w + l)).ToArray()),
            ages.ToArray(),
            recent.ToArray(),
            6,
            new Dictionary<long, decimal> { [1] = 100m, [2] = 0m, [3] = 2500.5m });

    [Fact]
    public void No_forecast_is_negative_and_no_method_expects_more_wins_than_there_are_open_cases()
    {
        var property = Prop.ForAll(Arb.From(RandomInputs), inputs =>
        {
            var result = SalesForecast.Compute(inputs);
            var ahead = result.Weeks.Where(w => w.Week >= 0).ToArray();
            var cycleKnown = inputs.Cycles.TotalClosed >= SalesForecast.MinimumCycleHistory;
            var numbers = ahead.SelectMany(w => new[] { w.StageWeightedWins, w.StageWeightedValue, w.TrendWins, w.TrendValue })
                .Concat(ahead.SelectMany(w => cycleKnown ? new[] { w.CycleWins, w.CycleValue } : []))
                .Concat(result.Weeks.Where(w => w.Week < 0).SelectMany(w => new[] { w.ActualWins, w.ActualValue }));
            var stageTotal = ahead.Sum(w => w.StageWeightedWins!.Value) + result.BeyondHorizon;
            var expected = inputs.Pipeline.Sum(p => p.Count * StageProbabilities.Of(p.Stage, inputs.Stages));
            return ahead.Length == inputs.Weeks
                && numbers.All(x => x is >= 0)
                && Math.Abs(stageTotal - expected) < 1e-6 * Math.Max(1, expected)
                && ahead.All(w => (w.CycleWins is null) == !cycleKnown)
                && ahead.Sum(w => w.CycleWins ?? 0) <= inputs.Ages.Sum(a => a.Count) + 1e-6;
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Doubling_the_pipeline_doubles_the_stage_weighted_and_cycle_forecasts()
    {
        var property = Prop.ForAll(Arb.From(RandomInputs), inputs =>
        {
            var doubled = inputs with
            {
                Pipeline = inputs.Pipeline.Select(p => p with { Count = p.Count * 2 }).ToArray(),
                Ages = inputs.Ages.Select(a => a with { Count = a.Count * 2 }).ToArray(),
            };
            var once = SalesForecast.Compute(inputs).Weeks.Where(w => w.Week >= 0).ToArray();
            var twice = SalesForecast.Compute(doubled).Weeks.Where(w => w.Week >= 0).ToArray();
            return once.Zip(twice).All(p =>
                Math.Abs((2 * p.First.StageWeightedWins!.Value) - p.Second.StageWeightedWins!.Value) < 1e-6
                && Math.Abs((2 * (p.First.CycleWins ?? 0)) - (p.Second.CycleWins ?? 0)) < 1e-6
                && Math.Abs(p.First.TrendWins!.Value - p.Second.TrendWins!.Value) < 1e-9);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }
}
