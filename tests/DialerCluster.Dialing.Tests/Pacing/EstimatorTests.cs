using DialerCluster.Dialing.Pacing;

namespace DialerCluster.Dialing.Tests.Pacing;

public sealed class EstimatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Answer_rate_starts_at_the_prior_and_moves_to_what_is_observed()
    {
        var estimator = new AnswerRateEstimator(window: 1000, priorRate: 0.5, priorWeight: 30);
        Assert.Equal(0.5, estimator.Rate, 9);

        for (int i = 0; i < 1000; i++)
        {
            estimator.Record(i % 4 == 0);
        }

        Assert.InRange(estimator.Rate, 0.25, 0.26);
    }

    [Fact]
    public void Answer_rate_forgets_attempts_older_than_its_window()
    {
        var estimator = new AnswerRateEstimator(window: 100, priorRate: 0.5, priorWeight: 0);
        for (int i = 0; i < 100; i++)
        {
            estimator.Record(true);
        }

        for (int i = 0; i < 100; i++)
        {
            estimator.Record(false);
        }

        Assert.Equal(100, estimator.Samples);
        Assert.Equal(0.0, estimator.Rate, 9);
    }

    [Fact]
    public void Abandon_rate_counts_only_the_recent_window()
    {
        var window = new AbandonRateWindow(TimeSpan.FromMinutes(30), buckets: 30, priorAnswered: 0);
        for (int i = 0; i < 100; i++)
        {
            window.RecordAnswered(T0);
        }

        window.RecordAbandoned(T0);
        window.RecordAbandoned(T0);
        Assert.Equal(0.02, window.Rate(T0.AddMinutes(10)), 9);

        // 31 minutes later the first minute has slid out of the window.
        Assert.Equal(0, window.Answered(T0.AddMinutes(31)));
        Assert.Equal(0.0, window.Rate(T0.AddMinutes(31)), 9);
    }

    [Fact]
    public void A_single_early_abandon_does_not_read_as_a_huge_rate()
    {
        var window = new AbandonRateWindow(TimeSpan.FromMinutes(30), priorAnswered: 20);
        window.RecordAnswered(T0);
        window.RecordAnswered(T0);
        window.RecordAbandoned(T0);
        Assert.Equal(2, window.Answered(T0));
        Assert.Equal(1, window.Abandoned(T0));
        Assert.Equal(1 / 22.0, window.Rate(T0), 9);
    }

    [Fact]
    public void Duration_estimator_uses_its_prior_until_enough_samples()
    {
        var talk = new DurationEstimator(TimeSpan.FromSeconds(100), window: 50, minimumSamples: 5);
        Assert.Equal(TimeSpan.FromSeconds(100), talk.Mean);
        Assert.Equal(1 - Math.Exp(-0.1), talk.ProbabilityEndsWithin(TimeSpan.Zero, TimeSpan.FromSeconds(10)), 9);

        foreach (int s in new[] { 10, 20, 30, 40, 50 })
        {
            talk.Record(TimeSpan.FromSeconds(s));
        }

        Assert.Equal(TimeSpan.FromSeconds(30), talk.Mean);
    }

    [Theory]
    [InlineData(0, 25, 0.4)]
    [InlineData(25, 10, 1.0 / 3)]
    [InlineData(45, 100, 1.0)]
    [InlineData(0, 0, 0.0)]
    public void Duration_estimator_gives_the_chance_of_ending_soon_given_time_already_spent(double elapsed, double horizon, double expected)
    {
        var talk = new DurationEstimator(TimeSpan.FromSeconds(100), window: 50, minimumSamples: 5);
        foreach (int s in new[] { 10, 20, 30, 40, 50 })
        {
            talk.Record(TimeSpan.FromSeconds(s));
        }

        Assert.Equal(expected, talk.ProbabilityEndsWithin(TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(horizon)), 9);
    }

    [Fact]
    public void Duration_estimator_keeps_only_its_window_of_samples()
    {
        var wrapUp = new DurationEstimator(TimeSpan.FromSeconds(100), window: 3, minimumSamples: 1);
        foreach (int s in new[] { 100, 100, 100, 10, 20, 30 })
        {
            wrapUp.Record(TimeSpan.FromSeconds(s));
        }

        Assert.Equal(3, wrapUp.Samples);
        Assert.Equal(TimeSpan.FromSeconds(20), wrapUp.Mean);
        Assert.Equal(0.0, wrapUp.Survival(TimeSpan.FromSeconds(30)), 2);
    }

    [Fact]
    public void Agents_in_wrap_up_are_forecast_free_and_agents_mid_talk_mostly_not()
    {
        var talk = new DurationEstimator(TimeSpan.FromSeconds(180), minimumSamples: 1);
        var wrapUp = new DurationEstimator(TimeSpan.FromSeconds(12), minimumSamples: 1);
        for (int i = 0; i < 100; i++)
        {
            talk.Record(TimeSpan.FromSeconds(60 + (i * 3)));
            wrapUp.Record(TimeSpan.FromSeconds(10 + (i % 6)));
        }

        var forecast = new AgentAvailabilityForecast(talk, wrapUp);
        forecast.AddWrappingUp(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));
        forecast.AddTalking(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));
        Assert.Equal(1.0, forecast.ExpectedFree, 9);
        Assert.Equal(0.0, forecast.Variance, 9);

        forecast.Reset();
        Assert.Equal(0.0, forecast.ExpectedFree);
    }

    [Fact]
    public void A_call_ringing_for_long_is_less_likely_to_be_answered_than_a_fresh_one()
    {
        var answerRate = new AnswerRateEstimator(priorRate: 0.25, priorWeight: 1000);
        var toAnswer = new DurationEstimator(TimeSpan.FromSeconds(10), minimumSamples: 1);
        var toOther = new DurationEstimator(TimeSpan.FromSeconds(20), minimumSamples: 1);
        for (int i = 0; i < 100; i++)
        {
            toAnswer.Record(TimeSpan.FromSeconds(5 + (i % 10)));
            toOther.Record(TimeSpan.FromSeconds(i % 2 == 0 ? 3 : 27));
        }

        var fresh = new InFlightForecast(answerRate, toAnswer, toOther);
        fresh.AddCall(TimeSpan.Zero);
        var old = new InFlightForecast(answerRate, toAnswer, toOther);
        old.AddCall(TimeSpan.FromSeconds(16));

        Assert.Equal(0.25, fresh.ExpectedAnswers, 2);
        Assert.True(old.ExpectedAnswers < 0.05, $"after 16 s of ringing: {old.ExpectedAnswers}");
    }
}
