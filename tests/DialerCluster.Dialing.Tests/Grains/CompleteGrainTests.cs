using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Tests.Dialer;

namespace DialerCluster.Dialing.Tests.Grains;

public sealed class CompleteGrainTests(GrainSilo silo) : IAsyncLifetime, IClassFixture<GrainSilo>
{
    private readonly GrainWorld _world = new(silo);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task No_answer_records_the_attempt_and_schedules_the_retry()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);

        var completed = await _world.CompleteAsync(agent, CallOutcome.NoAnswer);

        var stored = _world.Stores.Case(only);
        Assert.Equal(1, completed.Attempts);
        Assert.Equal(RetryDecisionKind.RetryAt, completed.Retry);
        Assert.Equal(GrainWorld.T0 + RetryDelays.Default.NoAnswer, completed.NextAttemptAt);
        Assert.Null(stored.HolderAgentId);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(completed.NextAttemptAt, stored.NextAttemptAt);
        Assert.Contains(_world.Stores.Activities(only), a => a.Activity.Kind == CaseActivityKind.CallAttempt && a.Activity.Outcome == CallOutcome.NoAnswer);
    }

    [Fact]
    public async Task A_complete_answered_by_a_campaign_activation_another_node_took_over_is_tried_again_not_called_lapsed()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);

        // A second activation claims the campaign and finds the hold; the complete still reaches the first one.
        await using var other = await _world.RestartedAsync();
        await other.CampaignViewAsync(campaign);
        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.CompleteAsync(agent, CallOutcome.NoAnswer));

        Assert.Equal(Refusal.Unavailable, refusal.Refusal);
        Assert.Equal(agent, _world.Stores.Case(only).HolderAgentId);
        Assert.Equal(0, _world.Stores.Case(only).Attempts);

        var completed = await other.CompleteAsync(agent, CallOutcome.NoAnswer);
        Assert.Equal(only, completed.CaseId);
        Assert.Equal(1, _world.Stores.Case(only).Attempts);
    }

    /// <remarks>
    /// Seen in the three-node failover test: the desk's complete reached an agent activation on a node that was then
    /// paused; it ran after the resume, while the desk, told 503, asked again through the agent's new activation.
    /// </remarks>
    [Fact]
    public async Task A_complete_asked_again_after_its_first_answer_was_lost_gets_what_the_first_recorded()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);

        // The first complete ran on the campaign's new activation; its answer never came back to this one.
        await using var other = await _world.RestartedAsync();
        var first = await other.CompleteAsync(agent, CallOutcome.NoAnswer);
        var again = await _world.CompleteAsync(agent, CallOutcome.NoAnswer);

        Assert.Equal(first, again);
        Assert.Equal(RetryDecisionKind.RetryAt, again.Retry);
        Assert.Equal(1, _world.Stores.Case(only).Attempts);
        Assert.Single(_world.Stores.Activities(only), a => a.Activity.Kind == CaseActivityKind.CallAttempt);
        Assert.Null((await _world.AgentViewAsync(agent)).CaseId);
    }

    [Fact]
    public async Task A_complete_asked_again_with_another_outcome_is_refused_naming_what_was_recorded()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);
        await using var other = await _world.RestartedAsync();
        await other.CompleteAsync(agent, CallOutcome.Busy);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.CompleteAsync(agent, CallOutcome.Talked));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
        Assert.Equal("outcome", Assert.Single(refusal.Errors).Field);
        Assert.Contains($"case {only} was already completed as busy", refusal.Message, StringComparison.Ordinal);
        Assert.Single(_world.Stores.Activities(only), a => a.Activity.Kind == CaseActivityKind.CallAttempt);
    }

    [Fact]
    public async Task A_complete_after_another_activation_let_the_hold_lapse_says_it_lapsed()
    {
        var campaign = await _world.CampaignAsync(new CampaignSettings { Name = "short holds", HoldTimeout = TimeSpan.FromMinutes(1) });
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);

        // The campaign's new activation lets the hold lapse; this agent's activation never hears of it.
        await using var other = await _world.RestartedAsync();
        await other.CampaignViewAsync(campaign);
        _world.Clock.Advance(TimeSpan.FromMinutes(5));
        await other.CampaignTurns(campaign).ExpireHoldsAsync();

        // The lapse's release is group-committed after the timer's turn: the complete comes once it is in the store.
        await DialerWorld.Eventually(() => _world.Stores.Case(only).HolderAgentId is null);
        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.CompleteAsync(agent, CallOutcome.Talked));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
        Assert.Contains($"the hold on case {only} lapsed (hold timeout)", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, _world.Stores.Case(only).Attempts);
    }

    [Fact]
    public async Task A_retry_is_not_offered_before_its_time_and_is_offered_after()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);
        await _world.CompleteAsync(agent, CallOutcome.Busy);

        Assert.Null(await _world.NextCaseAsync(agent, campaign));

        _world.Clock.Advance(RetryDelays.Default.Busy);
        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(only, offer!.Case.Id);
        Assert.Equal(1, offer.Case.Attempts);
    }

    [Fact]
    public async Task A_case_out_of_attempts_is_never_offered_again()
    {
        var campaign = await _world.CampaignAsync(new CampaignSettings { Name = "two tries", MaxAttempts = 2 });
        _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.NotNull(await _world.NextCaseAsync(agent, campaign));
            var completed = await _world.CompleteAsync(agent, CallOutcome.NoAnswer);
            Assert.Equal(attempt == 2 ? RetryDecisionKind.Exhausted : RetryDecisionKind.RetryAt, completed.Retry);
            _world.Clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.Null(await _world.NextCaseAsync(agent, campaign));
        Assert.Equal(1, (await _world.CampaignViewAsync(campaign)).Counts.Parked);
    }

    [Fact]
    public async Task Completing_without_a_case_is_a_conflict()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.CompleteAsync(agent, CallOutcome.Talked));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
    }

    [Fact]
    public async Task Completing_after_the_hold_lapsed_is_a_conflict_and_records_nothing()
    {
        var campaign = await _world.CampaignAsync(new CampaignSettings { Name = "short holds", HoldTimeout = TimeSpan.FromMinutes(1) });
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.NextCaseAsync(agent, campaign);
        _world.Clock.Advance(TimeSpan.FromMinutes(5));
        await _world.CampaignTurns(campaign).ExpireHoldsAsync();

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.CompleteAsync(agent, CallOutcome.Talked));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
        Assert.Equal(0, _world.Stores.Case(only).Attempts);
    }

    [Fact]
    public async Task A_talk_that_decided_nothing_is_not_offered_to_anyone_before_the_no_answer_delay()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var first = await _world.ReadyAgentAsync(campaign, "first");
        var second = await _world.ReadyAgentAsync(campaign, "second");
        await _world.NextCaseAsync(first, campaign);

        var completed = await _world.CompleteAsync(first, CallOutcome.Talked);
        _world.Clock.Advance(TimeSpan.FromSeconds(12));

        Assert.Equal(RetryDecisionKind.RetryAt, completed.Retry);
        Assert.Equal(GrainWorld.T0 + RetryDelays.Default.NoAnswer, _world.Stores.Case(only).NextAttemptAt);
        Assert.Null(await _world.NextCaseAsync(second, campaign));
        _world.Clock.Advance(RetryDelays.Default.NoAnswer);
        Assert.Equal(only, (await _world.NextCaseAsync(second, campaign))?.Case.Id);
    }

    [Fact]
    public async Task A_case_released_and_taken_at_once_is_held_only_after_the_release_commits()
    {
        var quick = new RetryDelays(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var campaign = await _world.CampaignAsync(new CampaignSettings { Name = "quick retries", RetryDelays = quick });
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var first = await _world.ReadyAgentAsync(campaign, "first");
        var second = await _world.ReadyAgentAsync(campaign, "second");
        await _world.NextCaseAsync(first, campaign);

        // Due again one (virtual) second later: taken by whoever asks next while the release may still be committing.
        await _world.CompleteAsync(first, CallOutcome.Busy);
        _world.Clock.Advance(quick.Busy);
        var offer = await _world.NextCaseAsync(second, campaign);

        Assert.Equal(only, offer!.Case.Id);
        Assert.Equal(second, _world.Stores.Case(only).HolderAgentId);
        Assert.Equal(1, _world.Stores.Case(only).Attempts);
    }
}
