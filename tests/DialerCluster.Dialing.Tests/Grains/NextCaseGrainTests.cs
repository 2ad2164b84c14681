using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Routing;

namespace DialerCluster.Dialing.Tests.Grains;

public sealed class NextCaseGrainTests(GrainSilo silo) : IAsyncLifetime, IClassFixture<GrainSilo>
{
    private readonly GrainWorld _world = new(silo);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Next_case_is_durably_held_by_the_agent_before_it_is_returned()
    {
        var campaign = await _world.CampaignAsync();
        var low = _world.Stores.AddCase(campaign, "+493000000001");
        var high = _world.Stores.AddCase(campaign, "+493000000002", CasePriority.High);
        var agent = await _world.ReadyAgentAsync(campaign);

        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.NotNull(offer);
        Assert.Equal(high, offer.Case.Id);
        Assert.Equal(agent, offer.Case.HolderAgentId);
        Assert.Equal(agent, _world.Stores.Case(high).HolderAgentId);
        Assert.Null(_world.Stores.Case(low).HolderAgentId);
        Assert.Equal("+493000000002", offer.Contact?.PrimaryPhone);
        Assert.False(offer.Repeated);
    }

    [Fact]
    public async Task Asking_again_while_holding_a_case_returns_the_same_case()
    {
        var campaign = await _world.CampaignAsync();
        _world.Stores.AddCase(campaign, "+493000000001");
        _world.Stores.AddCase(campaign, "+493000000002");
        var agent = await _world.ReadyAgentAsync(campaign);

        var first = await _world.NextCaseAsync(agent, campaign);
        var second = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(first!.Case.Id, second!.Case.Id);
        Assert.True(second.Repeated);
        Assert.Equal(1, _world.Stores.HoldCalls);
    }

    [Fact]
    public async Task An_agent_not_assigned_to_the_campaign_is_refused()
    {
        var campaign = await _world.CampaignAsync();
        _world.Stores.AddCase(campaign, "+493000000001");
        var other = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(other);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.NextCaseAsync(agent, campaign));

        Assert.Equal(Refusal.Forbidden, refusal.Refusal);
        Assert.Equal(0, _world.Stores.HoldCalls);
    }

    [Fact]
    public async Task An_agent_on_break_takes_no_case()
    {
        var campaign = await _world.CampaignAsync();
        _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.SetStatusAsync(agent, AgentState.Break, "lunch");

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.NextCaseAsync(agent, campaign));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
        Assert.Equal("status", refusal.Errors.Single().Field);
    }

    [Fact]
    public async Task Nothing_eligible_gives_no_case()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);

        Assert.Null(await _world.NextCaseAsync(agent, campaign));
    }

    [Fact]
    public async Task Unknown_campaign_is_not_found()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.NextCaseAsync(agent, 999_999));

        Assert.Equal(Refusal.NotFound, refusal.Refusal);
    }

    [Fact]
    public async Task A_case_another_node_holds_is_skipped_and_the_next_one_is_held()
    {
        var campaign = await _world.CampaignAsync();
        var first = _world.Stores.AddCase(campaign, "+493000000001", CasePriority.High);
        var second = _world.Stores.AddCase(campaign, "+493000000002");
        var agent = await _world.ReadyAgentAsync(campaign);
        var stranger = await _world.Stores.CreateAsync("elsewhere", CancellationToken.None);
        await _world.CampaignViewAsync(campaign);
        _world.Stores.Update(_world.Stores.Case(first) with { HolderAgentId = stranger.Id, HeldAt = GrainWorld.T0 });

        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(second, offer!.Case.Id);
        Assert.Equal(stranger.Id, _world.Stores.Case(first).HolderAgentId);
        Assert.Equal(2, (await _world.CampaignViewAsync(campaign)).Counts.Held);
    }

    [Fact]
    public async Task A_case_closed_behind_the_campaigns_back_is_skipped()
    {
        var campaign = await _world.CampaignAsync();
        var first = _world.Stores.AddCase(campaign, "+493000000001", CasePriority.High);
        var second = _world.Stores.AddCase(campaign, "+493000000002");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.CampaignViewAsync(campaign);
        _world.Stores.Update(_world.Stores.Case(first) with { Status = CaseStatus.Won });

        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(second, offer!.Case.Id);
        Assert.Equal(1, (await _world.CampaignViewAsync(campaign)).Counts.Closed);
    }

    [Fact]
    public async Task A_refused_hold_on_a_free_case_is_tried_again()
    {
        var campaign = await _world.CampaignAsync();
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        _world.Stores.RefuseNextHolds = 1;

        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(only, offer!.Case.Id);
        Assert.Equal(2, _world.Stores.HoldCalls);
    }

    [Fact]
    public async Task After_a_restart_the_agent_gets_the_case_the_store_says_it_holds()
    {
        var campaign = await _world.CampaignAsync();
        _world.Stores.AddCase(campaign, "+493000000001");
        _world.Stores.AddCase(campaign, "+493000000002");
        var agent = await _world.ReadyAgentAsync(campaign);
        var before = await _world.NextCaseAsync(agent, campaign);

        await using var restarted = await _world.RestartedAsync();
        var after = await restarted.NextCaseAsync(agent, campaign);
        var completed = await restarted.CompleteAsync(agent, CallOutcome.Busy);

        Assert.Equal(before!.Case.Id, after!.Case.Id);
        Assert.True(after.Repeated);
        Assert.Equal(before.Case.Id, completed.CaseId);
        Assert.Null(_world.Stores.Case(before.Case.Id).HolderAgentId);
    }

    [Fact]
    public async Task A_held_case_loaded_on_activation_is_not_given_to_another_agent()
    {
        var campaign = await _world.CampaignAsync();
        var held = _world.Stores.AddCase(campaign, "+493000000001", CasePriority.High);
        var free = _world.Stores.AddCase(campaign, "+493000000002");
        var holder = await _world.Stores.CreateAsync("holder", CancellationToken.None);
        _world.Stores.Update(_world.Stores.Case(held) with { HolderAgentId = holder.Id, HeldAt = GrainWorld.T0 });
        var agent = await _world.ReadyAgentAsync(campaign);

        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(free, offer!.Case.Id);
    }

    [Fact]
    public async Task A_hold_not_completed_in_time_goes_back_to_the_queue()
    {
        var campaign = await _world.CampaignAsync(new CampaignSettings { Name = "short holds", HoldTimeout = TimeSpan.FromMinutes(1) });
        var only = _world.Stores.AddCase(campaign, "+493000000001");
        var slow = await _world.ReadyAgentAsync(campaign, "slow");
        var quick = await _world.ReadyAgentAsync(campaign, "quick");
        await _world.NextCaseAsync(slow, campaign);
        Assert.Null(await _world.NextCaseAsync(quick, campaign));

        _world.Clock.Advance(TimeSpan.FromMinutes(2));
        await _world.CampaignTurns(campaign).ExpireHoldsAsync();
        var offer = await _world.NextCaseAsync(quick, campaign);
        var slowView = await _world.Agent(slow).ViewAsync();

        Assert.Equal(only, offer!.Case.Id);
        Assert.Equal(quick, _world.Stores.Case(only).HolderAgentId);
        Assert.Contains(_world.Stores.Activities(only), a => a.Activity.Kind == CaseActivityKind.Released && a.Activity.Details == "hold timeout");
        Assert.Null(slowView.CaseId);
    }

    [Fact]
    public async Task A_number_on_the_do_not_call_list_is_never_offered_and_returns_when_removed()
    {
        var campaign = await _world.CampaignAsync();
        var listed = _world.Stores.AddCase(campaign, "+493000000001");
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.DoNotCall.AddAsync("+493000000001", "asked", CancellationToken.None);

        Assert.Null(await _world.NextCaseAsync(agent, campaign));

        await _world.DoNotCall.RemoveAsync("+493000000001", CancellationToken.None);
        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(listed, offer!.Case.Id);
    }

    [Fact]
    public async Task The_agent_gets_its_own_case_before_an_older_unowned_one()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.AddCaseAsync(campaign, "+493000000001", createdAt: GrainWorld.T0.AddDays(-5));
        var own = await _world.AddCaseAsync(campaign, "+493000000002", owner: agent, createdAt: GrainWorld.T0.AddDays(-1));

        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(own, offer!.Case.Id);
    }

    [Fact]
    public async Task A_campaign_activation_another_node_took_over_holds_nothing_more()
    {
        var campaign = await _world.CampaignAsync();
        var cases = new[] { _world.Stores.AddCase(campaign, "+493000000001"), _world.Stores.AddCase(campaign, "+493000000002") };
        var agent = await _world.ReadyAgentAsync(campaign);
        var stale = _world.Stores.EpochOf(campaign);

        // A second activation of the campaign claims it (a node that took over while this one was cut off).
        await using var other = await _world.RestartedAsync();
        await other.CampaignViewAsync(campaign);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.NextCaseAsync(agent, campaign));
        Assert.Equal(Refusal.Conflict, refusal.Refusal);
        Assert.All(cases, id => Assert.Null(_world.Stores.Case(id).HolderAgentId));
        Assert.True(_world.Stores.EpochOf(campaign).Value > stale.Value);

        var offer = await other.NextCaseAsync(agent, campaign);
        Assert.Equal(agent, _world.Stores.Case(offer!.Case.Id).HolderAgentId);
    }

    [Fact]
    public async Task Next_case_with_nothing_eligible_says_nothing_is_dialable()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);

        var start = await _world.Agent(agent).StartNextCaseAsync(campaign);

        Assert.Equal((null, NoCaseReason.NothingDialable), (start.Offer, start.NoCase));
    }

    [Fact]
    public async Task Next_case_with_leads_outside_their_calling_hours_says_so()
    {
        var campaign = await _world.CampaignAsync();

        // 12:00 UTC is 21:00 in Tokyo: past the default window (9:00 to 21:00, the end excluded).
        _world.Stores.AddCase(campaign, "+81312345678", timeZone: "Asia/Tokyo");
        var agent = await _world.ReadyAgentAsync(campaign);

        var start = await _world.Agent(agent).StartNextCaseAsync(campaign);

        Assert.Equal((null, NoCaseReason.CallingHours), (start.Offer, start.NoCase));
    }

    [Fact]
    public async Task Next_case_with_only_callbacks_of_present_owners_says_they_are_kept_for_them()
    {
        var campaign = await _world.CampaignAsync();
        var owner = await _world.Stores.CreateAsync("Owner", CancellationToken.None);
        var callback = _world.Stores.AddCase(campaign, "+493000000001", owner: owner.Id);
        _world.Stores.Update(_world.Stores.Case(callback) with
        {
            Status = CaseStatus.InAcquisition,
            Form = new CaseForm(NextContactAt: GrainWorld.T0.AddMinutes(-5)),
        });
        await _world.Stores.AssignAgentAsync(campaign, owner.Id, CancellationToken.None);
        await _world.Campaign(campaign).AssignAgentAsync(owner.Id);
        await _world.SetStatusAsync(owner.Id, AgentState.Ready);
        var other = await _world.ReadyAgentAsync(campaign, "Other");

        var start = await _world.Agent(other).StartNextCaseAsync(campaign);

        Assert.Equal((null, NoCaseReason.KeptForOwners), (start.Offer, start.NoCase));
        Assert.Equal(callback, (await _world.NextCaseAsync(owner.Id, campaign))!.Case.Id);
    }
}
