using DialerCluster.Dialing.Campaigns;
using FsCheck;
using FsCheck.Fluent;

namespace DialerCluster.Dialing.Tests.Campaigns;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly CampaignSettings Settings = new()
    {
        Name = "c",
        MaxAttempts = 3,
        RetryDelays = new RetryDelays(
            NoAnswer: TimeSpan.FromHours(2), Busy: TimeSpan.FromMinutes(10), Voicemail: TimeSpan.FromHours(5), Failed: TimeSpan.FromHours(1)),
    };

    [Theory]
    [InlineData(CallOutcome.NoAnswer, 120)]
    [InlineData(CallOutcome.Busy, 10)]
    [InlineData(CallOutcome.Voicemail, 300)]
    [InlineData(CallOutcome.Failed, 60)]
    [InlineData(CallOutcome.Abandoned, 72 * 60)]
    public void An_unsuccessful_attempt_is_retried_after_its_outcomes_delay(CallOutcome outcome, int minutes)
    {
        var decision = RetryPolicy.Next(outcome, attemptsSoFar: 1, Settings, Now, followUpDecided: false);

        Assert.Equal(RetryDecision.At(Now.AddMinutes(minutes)), decision);
    }

    [Fact]
    public void An_abandoned_number_is_not_redialed_within_72_hours_even_when_delays_are_short()
    {
        var hasty = Settings with { RetryDelays = new RetryDelays(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) };

        var decision = RetryPolicy.Next(CallOutcome.Abandoned, 1, hasty, Now, followUpDecided: false);

        Assert.True(decision.NotBefore >= Now.AddHours(72));
    }

    [Theory]
    [InlineData(CallOutcome.NoAnswer)]
    [InlineData(CallOutcome.Busy)]
    [InlineData(CallOutcome.Voicemail)]
    [InlineData(CallOutcome.Failed)]
    [InlineData(CallOutcome.Abandoned)]
    public void The_last_allowed_attempt_exhausts_the_case(CallOutcome outcome)
    {
        Assert.Equal(RetryDecisionKind.RetryAt, RetryPolicy.Next(outcome, 2, Settings, Now, followUpDecided: false).Kind);
        Assert.Equal(RetryDecision.Exhausted, RetryPolicy.Next(outcome, 3, Settings, Now, followUpDecided: false));
        Assert.Equal(RetryDecision.Exhausted, RetryPolicy.Next(outcome, 4, Settings, Now, followUpDecided: false));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void A_conversation_that_booked_the_follow_up_leaves_the_timing_to_the_funnel(int attempts)
    {
        Assert.Equal(RetryDecision.NoRetry, RetryPolicy.Next(CallOutcome.Talked, attempts, Settings, Now, followUpDecided: true));
    }

    [Fact]
    public void A_conversation_that_booked_nothing_waits_the_no_answer_delay_instead_of_an_immediate_redial()
    {
        Assert.Equal(RetryDecision.At(Now.AddHours(2)), RetryPolicy.Next(CallOutcome.Talked, 1, Settings, Now, followUpDecided: false));
        Assert.Equal(RetryDecision.Exhausted, RetryPolicy.Next(CallOutcome.Talked, 3, Settings, Now, followUpDecided: false));
    }

    /// <summary>
    /// Whatever the outcome, attempts and settings: the case is exhausted, or waits at least the campaign's shortest
    /// retry delay, or (only a talk that booked the follow-up) is left to the funnel. Never "dial again now".
    /// </summary>
    [Fact]
    public void No_outcome_ever_brings_a_case_back_sooner_than_the_campaigns_shortest_retry_delay() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), Prop.ForAll(Attempts().ToArbitrary(), attempt =>
        {
            var (outcome, attemptsSoFar, settings, followUp) = attempt;
            var decision = RetryPolicy.Next(outcome, attemptsSoFar, settings, Now, followUp);
            return decision.Kind switch
            {
                RetryDecisionKind.Exhausted => attemptsSoFar >= settings.MaxAttempts,
                RetryDecisionKind.NoRetry => outcome == CallOutcome.Talked && followUp,
                _ => decision.NotBefore >= Now + settings.RetryDelays.Shortest,
            };
        }));

    private static Gen<(CallOutcome Outcome, int AttemptsSoFar, CampaignSettings Settings, bool FollowUpDecided)> Attempts() =>
        from outcome in Gen.Elements(Enum.GetValues<CallOutcome>())
        from maxAttempts in Gen.Choose(1, CampaignSettings.MaxAttemptsLimit)
        from attemptsSoFar in Gen.Choose(0, CampaignSettings.MaxAttemptsLimit + 5)
        from delays in Gen.Choose(1, 30 * 24 * 60 * 60).ArrayOf(4)
        from followUp in ArbMap.Default.GeneratorFor<bool>()
        let retry = new RetryDelays(
            TimeSpan.FromSeconds(delays[0]), TimeSpan.FromSeconds(delays[1]), TimeSpan.FromSeconds(delays[2]), TimeSpan.FromSeconds(delays[3]))
        select (outcome, attemptsSoFar, new CampaignSettings { Name = "c", MaxAttempts = maxAttempts, RetryDelays = retry }, followUp);

    [Fact]
    public void Negative_attempts_are_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Next(CallOutcome.Busy, -1, Settings, Now, followUpDecided: false));
    }

    [Theory]
    [InlineData(CallOutcome.Talked, "talked")]
    [InlineData(CallOutcome.NoAnswer, "no_answer")]
    [InlineData(CallOutcome.Busy, "busy")]
    [InlineData(CallOutcome.Voicemail, "voicemail")]
    [InlineData(CallOutcome.Failed, "failed")]
    [InlineData(CallOutcome.Abandoned, "abandoned")]
    public void Outcome_wire_names_go_both_ways(CallOutcome outcome, string wire)
    {
        Assert.Equal(wire, outcome.ToWire());
        Assert.True(CallOutcomeWire.TryParse(wire, out var parsed));
        Assert.Equal(outcome, parsed);
    }

    [Fact]
    public void Machine_is_read_as_voicemail()
    {
        Assert.True(CallOutcomeWire.TryParse("machine", out var parsed));
        Assert.Equal(CallOutcome.Voicemail, parsed);
    }
}
