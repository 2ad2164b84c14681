using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Pacing;

namespace DialerCluster.Dialing.Tests.Pacing;

public sealed class OutlookTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(37)]
    [InlineData(80)]
    public void Filling_the_ending_distribution_matches_asking_step_by_step(double elapsed)
    {
        var talk = new DurationEstimator(TimeSpan.FromSeconds(30), minimumSamples: 5);
        foreach (int s in new[] { 5, 12, 12, 20, 33, 41, 47, 60 })
        {
            talk.Record(TimeSpan.FromSeconds(s));
        }

        var filled = new double[40];
        talk.FillEndingWithin(TimeSpan.FromSeconds(elapsed), Second, filled);
        for (int k = 0; k < filled.Length; k++)
        {
            Assert.Equal(talk.ProbabilityEndsWithin(TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(k + 1)), filled[k], 12);
        }
    }

    [Fact]
    public void An_agent_in_wrap_up_is_forecast_free_when_the_wrap_up_ends_and_a_talking_one_only_after_a_wrap_up()
    {
        var forecast = Forecast(out _);
        forecast.AddWrappingUp(TimeSpan.FromSeconds(8));
        var wrapping = forecast.Complete();

        // Wrap-ups take 10 to 15 s: after 8 s, the agent is free within 2 to 7 s, certainly by 7.
        Assert.Equal(0.0, wrapping.AgentsFree.Span[0], 9);
        Assert.Equal(1.0, wrapping.AgentsFree.Span[6], 9);

        forecast.Reset();
        forecast.AddTalking(TimeSpan.FromSeconds(100));
        var talking = forecast.Complete();

        // A talk may end any second, but a wrap-up of at least 10 s follows it.
        Assert.Equal(0.0, talking.AgentsFree.Span[9], 9);
        Assert.True(talking.AgentsFree.Span[29] > 0, "some chance the conversation ends and its wrap-up is over within 30 s");
        Assert.True(talking.AgentsFree.Span[29] < 0.5);
    }

    [Fact]
    public void A_ringing_call_brings_fewer_answers_the_longer_it_has_rung_and_none_before_they_can_come()
    {
        var forecast = Forecast(out _);
        forecast.AddCall(TimeSpan.Zero);
        var fresh = forecast.Complete();
        double freshTotal = fresh.Answers.Span[^1];

        forecast.Reset();
        forecast.AddCall(TimeSpan.FromSeconds(14));
        double oldTotal = forecast.Complete().Answers.Span[^1];

        Assert.Equal(0.25, freshTotal, 2);
        Assert.Equal(0.0, fresh.Answers.Span[3], 9);
        Assert.True(oldTotal < freshTotal / 2, $"fresh {freshTotal}, after 14 s {oldTotal}");
        Assert.Equal(1.0, fresh.NewCallAnswered.Span[^1], 9);
    }

    [Fact]
    public void Adding_to_a_completed_outlook_is_refused_until_reset()
    {
        var forecast = Forecast(out _);
        forecast.Complete();
        Assert.Throws<InvalidOperationException>(() => forecast.AddCall(TimeSpan.Zero));
        forecast.Reset();
        forecast.AddCall(TimeSpan.Zero);
    }

    [Fact]
    public void Matched_pacing_dials_for_agents_about_to_leave_wrap_up()
    {
        var forecast = Forecast(out _);
        var none = Input(forecast.Complete(), ready: 0, inFlight: 0);
        int withoutWrapUps = Pacer.LinesToDial(in none);

        forecast.Reset();
        for (int i = 0; i < 5; i++)
        {
            forecast.AddWrappingUp(TimeSpan.FromSeconds(4));
        }

        var five = Input(forecast.Complete(), ready: 0, inFlight: 0);
        int withWrapUps = Pacer.LinesToDial(in five);

        Assert.Equal(0, withoutWrapUps);

        // Five agents free in 6 to 11 s, answers 5 to 14 s after the dial at one in four: some lines, but well under
        // twenty, because an answer that comes before the wrap-ups end finds nobody.
        Assert.InRange(withWrapUps, 1, 19);
    }

    [Fact]
    public void Matched_pacing_dials_less_while_many_answers_are_already_coming()
    {
        var forecast = Forecast(out _);
        for (int i = 0; i < 5; i++)
        {
            forecast.AddWrappingUp(TimeSpan.FromSeconds(4));
        }

        int calm = Pacer.LinesToDial(Input(forecast.Complete(), ready: 2, inFlight: 0));

        forecast.Reset();
        for (int i = 0; i < 5; i++)
        {
            forecast.AddWrappingUp(TimeSpan.FromSeconds(4));
        }

        for (int i = 0; i < 12; i++)
        {
            forecast.AddCall(TimeSpan.FromSeconds(2));
        }

        int busy = Pacer.LinesToDial(Input(forecast.Complete(), ready: 2, inFlight: 12));
        Assert.True(busy < calm, $"nothing ringing: {calm}, twelve fresh calls ringing: {busy}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.02)]
    [InlineData(0.03)]
    [InlineData(0.045)]
    public void Accepted_risk_per_call_falls_as_the_abandon_rate_rises_and_reaches_zero_well_past_the_target(double abandonRate)
    {
        double pressure = abandonRate / 0.03;
        Assert.True(Pacer.RiskPerCall(pressure) >= Pacer.RiskPerCall(pressure + 0.01));
        Assert.InRange(Pacer.RiskPerCall(pressure), 0, Pacer.MaxRiskPerCall);
        Assert.Equal(0.0, Pacer.RiskPerCall(Pacer.RiskCutOff), 12);
        Assert.Equal(Pacer.BaseRiskPerCall, Pacer.RiskPerCall(Pacer.RiskSetPoint), 12);
    }

    [Fact]
    public void Accepted_risk_per_call_backs_off_hard_past_the_target()
    {
        // 4.5% abandoned over the window, half as much again as the cap: a third or less of the risk at the set point.
        Assert.True(Pacer.RiskPerCall(1.5) <= Pacer.BaseRiskPerCall / 3);
        Assert.True(Pacer.RiskPerCall(1.0) < Pacer.BaseRiskPerCall);
    }

    [Theory]
    [InlineData(-3, 0.0013499)]
    [InlineData(-1, 0.1586553)]
    [InlineData(0, 0.5)]
    [InlineData(1.5, 0.9331928)]
    public void Normal_distribution_function_is_accurate(double x, double expected) =>
        Assert.Equal(expected, Pacer.NormalCdf(x), 6);

    public static TheoryData<string, PacingInput> BadOutlooks => new()
    {
        { "Outlook.Step", Input(new PacingOutlook(TimeSpan.FromSeconds(5), new double[3], new double[3], new double[3], new double[3], new double[3]), 1, 0) },
        { "same length", Input(new PacingOutlook(Second, new double[3], new double[2], new double[3], new double[3], new double[3]), 1, 0) },
        { "Outlook.AgentsFree", Input(new PacingOutlook(Second, new double[] { 0, 0, 60 }, new double[3], new double[3], new double[3], new double[3]), 1, 0) },
        { "Outlook.Answers", Input(new PacingOutlook(Second, new double[3], new double[3], new double[] { 0, 0, 3 }, new double[3], new double[3]), 1, 2) },
        { "Outlook.AnswersVariance", Input(new PacingOutlook(Second, new double[3], new double[3], new double[3], new double[] { 0, double.NaN, 0 }, new double[3]), 1, 0) },
        { "Outlook.NewCallAnswered", Input(new PacingOutlook(Second, new double[3], new double[3], new double[3], new double[3], new double[] { 0, 0.5, 1.5 }), 1, 0) },
    };

    [Theory]
    [MemberData(nameof(BadOutlooks))]
    public void A_bad_outlook_is_refused_naming_the_field(string field, PacingInput input)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pacer.LinesToDial(in input));
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    private static PacingInput Input(PacingOutlook outlook, int ready, int inFlight) => new()
    {
        Policy = new PacingPolicy { Mode = DialMode.Predictive },
        AgentsLoggedIn = 50,
        AgentsReady = ready,
        CallsInFlight = inFlight,
        AnswerRate = 0.25,
        AbandonRate = 0.02,
        Outlook = outlook,
    };

    /// <summary>Talk 60–357 s, wrap-up 10–15 s, person answers 5–14 s after the dial, other outcomes at 3 or 27 s, 25% answered.</summary>
    private static PacingOutlookForecast Forecast(out AnswerRateEstimator answerRate)
    {
        answerRate = new AnswerRateEstimator(priorRate: 0.25, priorWeight: 1000);
        var talk = new DurationEstimator(TimeSpan.FromSeconds(180), minimumSamples: 1);
        var wrapUp = new DurationEstimator(TimeSpan.FromSeconds(12), minimumSamples: 1);
        var toAnswer = new DurationEstimator(TimeSpan.FromSeconds(10), minimumSamples: 1);
        var toOther = new DurationEstimator(TimeSpan.FromSeconds(20), minimumSamples: 1);
        for (int i = 0; i < 100; i++)
        {
            talk.Record(TimeSpan.FromSeconds(60 + (i * 3)));
            wrapUp.Record(TimeSpan.FromSeconds(10 + (i % 6)));
            toAnswer.Record(TimeSpan.FromSeconds(5 + (i % 10)));
            toOther.Record(TimeSpan.FromSeconds(i % 2 == 0 ? 3 : 27));
        }

        return new PacingOutlookForecast(answerRate, talk, wrapUp, toAnswer, toOther, Second, TimeSpan.FromSeconds(30));
    }
}
