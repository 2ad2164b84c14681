using DialerCluster.Dialing.Campaigns;

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
        var decision = RetryPolicy.Next(outcome, attemptsSoFar: 1, Settings, Now);

        Assert.Equal(RetryDecision.At(Now.AddMinutes(minutes)), decision);
    }

    [Fact]
    public void An_abandoned_number_is_not_redialed_within_72_hours_even_when_delays_are_short()
    {
        var hasty = Settings with { RetryDelays = new RetryDelays(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) };

        var decision = RetryPolicy.Next(CallOutcome.Abandoned, 1, hasty, Now);

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
        Assert.Equal(RetryDecisionKind.RetryAt, RetryPolicy.Next(outcome, 2, Settings, Now).Kind);
        Assert.Equal(RetryDecision.Exhausted, RetryPolicy.Next(outcome, 3, Settings, Now));
        Assert.Equal(RetryDecision.Exhausted, RetryPolicy.Next(outcome, 4, Settings, Now));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void A_conversation_schedules_no_retry(int attempts)
    {
        Assert.Equal(RetryDecision.NoRetry, RetryPolicy.Next(CallOutcome.Talked, attempts, Settings, Now));
    }

    [Fact]
    public void Negative_attempts_are_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryPolicy.Next(CallOutcome.Busy, -1, Settings, Now));
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
