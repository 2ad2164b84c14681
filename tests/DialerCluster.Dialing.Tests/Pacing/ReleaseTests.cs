using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Pacing;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Pacing;

/// <summary>Releasing an over-dialed call that has rung 15 s (FCC 47 CFR 64.1200(a)(6)) instead of risking an abandon.</summary>
public sealed class ReleaseTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(2000);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongRing = TimeSpan.FromSeconds(16);

    [Fact]
    public void A_call_that_has_rung_less_than_15_seconds_is_never_released() =>
        Check.One(Many, Prop.ForAll(
            WithOutlook().ToArbitrary(),
            Gen.Choose(0, 14_999).ToArbitrary(),
            (c, ringingMs) => !Pacer.ShouldRelease(in c.Input, TimeSpan.FromMilliseconds(ringingMs), c.AnsweredBy)));

    [Fact]
    public void Only_a_predictive_campaign_releases_a_ringing_call() =>
        Check.One(Many, Prop.ForAll(
            WithOutlook().Where(c => c.Input.Policy.Mode != DialMode.Predictive).ToArbitrary(),
            c => !Pacer.ShouldRelease(in c.Input, LongRing, c.AnsweredBy)));

    [Fact]
    public void Nothing_is_released_without_an_outlook_to_say_its_answer_would_be_abandoned() =>
        Check.One(Many, Prop.ForAll(
            PacingInputs.Any().Select(i => i with { Outlook = default }).ToArbitrary(),
            input => !Pacer.ShouldRelease(in input, LongRing, [])));

    [Fact]
    public void A_higher_abandon_rate_never_keeps_a_call_that_a_lower_one_releases() =>
        Check.One(Many, Prop.ForAll(
            WithOutlook().ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (c, otherPermille) =>
            {
                double other = otherPermille / 1000.0;
                var low = c.Input with { AbandonRate = Math.Min(c.Input.AbandonRate, other) };
                var high = c.Input with { AbandonRate = Math.Max(c.Input.AbandonRate, other) };
                return !Pacer.ShouldRelease(in low, LongRing, c.AnsweredBy) || Pacer.ShouldRelease(in high, LongRing, c.AnsweredBy);
            }));

    [Fact]
    public void A_late_call_is_released_when_answers_already_coming_outnumber_every_agent_in_sight()
    {
        // No agent ready, none free within 30 s, three answers on their way: a fourth would certainly wait in silence.
        var input = Input(ready: 0, free: 0, answers: 3, inFlight: 10);
        Assert.True(Pacer.ShouldRelease(in input, LongRing, SoonAnswered()));
    }

    [Fact]
    public void A_late_call_is_kept_while_agents_wait_for_its_answer()
    {
        var input = Input(ready: 5, free: 0, answers: 0, inFlight: 10);
        Assert.False(Pacer.ShouldRelease(in input, LongRing, SoonAnswered()));
    }

    [Fact]
    public void The_same_call_is_kept_before_15_seconds_of_ringing_however_crowded_the_moment()
    {
        var input = Input(ready: 0, free: 0, answers: 3, inFlight: 10);
        Assert.False(Pacer.ShouldRelease(in input, TimeSpan.FromSeconds(14.9), SoonAnswered()));
    }

    public static TheoryData<string, TimeSpan, double[]> BadReleaseInputs => new()
    {
        { "ringing", TimeSpan.FromSeconds(-1), SoonAnswered() },
        { "answeredBy", LongRing, new double[3] },
        { "answeredBy", LongRing, [.. SoonAnswered()[..^1], 1.5] },
    };

    [Theory]
    [MemberData(nameof(BadReleaseInputs))]
    public void Bad_release_input_is_refused_naming_the_field(string field, TimeSpan ringing, double[] answeredBy)
    {
        var input = Input(ready: 1, free: 0, answers: 0, inFlight: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pacer.ShouldRelease(in input, ringing, answeredBy));
        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void The_feed_gives_a_late_call_its_answer_timing_over_the_whole_outlook()
    {
        var feed = new PacingFeed(TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(30));
        for (int i = 0; i < 50; i++)
        {
            feed.RecordPersonAnswered(TimeSpan.FromSeconds(5 + (i % 15)), DateTimeOffset.UnixEpoch);
        }

        var timing = new double[PacingFeed.OutlookSteps];
        feed.FillAnswerTiming(TimeSpan.FromSeconds(17), timing);

        // Answers came 5–19 s after the dial: a call out for 17 s, if answered at all, is answered within 2 s.
        Assert.Equal(1.0, timing[1], 9);
        Assert.Equal(1.0, timing[^1], 9);
        for (int k = 1; k < timing.Length; k++)
        {
            Assert.True(timing[k] >= timing[k - 1]);
        }
    }

    /// <summary>Predictive snapshots with an outlook, and a late call's answer timing over it.</summary>
    private static Gen<(PacingInput Input, double[] AnsweredBy)> WithOutlook() =>
        from input in PacingInputs.Any()
        from steps in Gen.Choose(1, 30)
        from freeShare in Gen.Choose(0, 100)
        from answerShare in Gen.Choose(0, 100)
        from soon in Gen.Choose(1, 30)
        let free = (input.AgentsLoggedIn - input.AgentsReady) * freeShare / 100.0
        let withOutlook = input with { Outlook = PacingInputs.Outlook(steps, free, input.CallsInFlight * answerShare / 100.0) }
        select (withOutlook, AnsweredWithin(steps, Math.Min(soon, steps)));

    private static double[] SoonAnswered() => AnsweredWithin(30, 3);

    /// <summary>An answer, if it comes, spread evenly over the first <paramref name="within"/> steps.</summary>
    private static double[] AnsweredWithin(int steps, int within)
    {
        var answeredBy = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            answeredBy[k] = Math.Min(1, (k + 1) / (double)within);
        }

        return answeredBy;
    }

    private static PacingInput Input(int ready, double free, double answers, int inFlight)
    {
        var agentsFree = new double[30];
        var answersBy = new double[30];
        var newCall = new double[30];
        for (int k = 0; k < 30; k++)
        {
            agentsFree[k] = free;
            answersBy[k] = Math.Min(answers, answers * (k + 1) / 2.0);
            newCall[k] = Math.Min(1, (k + 1) / 12.0);
        }

        return new PacingInput
        {
            Policy = new PacingPolicy { Mode = DialMode.Predictive },
            AgentsLoggedIn = 50,
            AgentsReady = ready,
            CallsInFlight = inFlight,
            AnswerRate = 0.25,
            AbandonRate = 0.02,
            Outlook = new PacingOutlook(Second, agentsFree, new double[30], answersBy, new double[30], newCall),
        };
    }
}
