using DialerCluster.Dialing.Forecasting;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Forecasting;

public sealed class TrendTests
{
    [Fact]
    public void A_rising_line_is_read_forward_exactly()
    {
        double[] weeks = [2, 4, 6, 8];

        Assert.Equal(10, Trend.Extend(weeks, 0), 9);
        Assert.Equal(16, Trend.Extend(weeks, 3), 9);
    }

    [Fact]
    public void A_falling_line_stops_at_zero()
    {
        Assert.Equal(0, Trend.Extend([9, 6, 3], 4));
    }

    [Fact]
    public void No_history_forecasts_nothing_and_one_week_forecasts_itself()
    {
        Assert.Equal(0, Trend.Extend([], 2));
        Assert.Equal(7, Trend.Extend([7], 5));
    }

    [Fact]
    public void A_flat_history_forecasts_its_level_and_no_forecast_is_negative()
    {
        var flat = Prop.ForAll(
            Arb.From(Gen.Choose(0, 1000)),
            Arb.From(Gen.Choose(2, 30)),
            Arb.From(Gen.Choose(0, 52)),
            (level, length, ahead) => Math.Abs(Trend.Extend(Enumerable.Repeat((double)level, length).ToArray(), ahead) - level) < 1e-9);
        var never = Prop.ForAll(
            Arb.From(Gen.ArrayOf(Gen.Choose(0, 500).Select(x => (double)x))),
            Arb.From(Gen.Choose(0, 52)),
            (history, ahead) => Trend.Extend(history, ahead) >= 0);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), flat);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), never);
    }
}
