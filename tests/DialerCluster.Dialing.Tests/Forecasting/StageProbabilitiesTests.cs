using DialerCluster.Dialing.Forecasting;
using DialerCluster.Dialing.Funnel;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Forecasting;

public sealed class StageProbabilitiesTests
{
    [Fact]
    public void With_no_history_each_stage_has_its_documented_default()
    {
        Assert.Equal(0.05, StageProbabilities.Of(CaseStatus.New, StageHistory.Empty));
        Assert.Equal(0.25, StageProbabilities.Of(CaseStatus.InAcquisition, StageHistory.Empty));
        Assert.Equal(0.50, StageProbabilities.Of(CaseStatus.Offered, StageHistory.Empty));
    }

    [Fact]
    public void Twenty_closed_cases_weigh_as_much_as_the_default_and_two_hundred_ten_times_as_much()
    {
        Assert.Equal((2 + 10) / 40.0, StageProbabilities.Of(CaseStatus.Offered, History(CaseStatus.Offered, closed: 20, won: 2)), 12);
        Assert.Equal((180 + 10) / 220.0, StageProbabilities.Of(CaseStatus.Offered, History(CaseStatus.Offered, closed: 200, won: 180)), 12);
    }

    [Fact]
    public void Won_and_resigned_stages_have_no_win_probability()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StageProbabilities.Of(CaseStatus.Won, StageHistory.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => StageProbabilities.Of(CaseStatus.Resigned, StageHistory.Empty));
    }

    [Fact]
    public void A_probability_stays_between_the_default_and_the_observed_rate_and_nears_the_rate_as_history_grows()
    {
        var property = Prop.ForAll(
            Arb.From(Gen.Choose(0, 100_000)),
            Arb.From(Gen.Choose(0, 1000)),
            Arb.From(Gen.Elements(CaseStatus.New, CaseStatus.InAcquisition, CaseStatus.Offered)),
            (closed, wonPermille, stage) =>
            {
                var won = (long)closed * wonPermille / 1000;
                var p = StageProbabilities.Of(stage, History(stage, closed, won));
                var prior = StageProbabilities.Defaults[stage];
                var rate = closed == 0 ? prior : (double)won / closed;
                var tolerance = StageProbabilities.PriorWeight / (closed + StageProbabilities.PriorWeight);
                return p >= Math.Min(prior, rate) - 1e-12 && p <= Math.Max(prior, rate) + 1e-12 && Math.Abs(p - rate) <= tolerance + 1e-12;
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static StageHistory History(CaseStatus stage, long closed, long won) =>
        new(new Dictionary<CaseStatus, long> { [stage] = closed }, new Dictionary<CaseStatus, long> { [stage] = won });
}
