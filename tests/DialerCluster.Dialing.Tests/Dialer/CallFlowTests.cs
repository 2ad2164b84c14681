using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;

namespace DialerCluster.Dialing.Tests.Dialer;

public sealed class CallFlowTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    private const string Phone = "+4930123456";

    /// <remarks>
    /// Seen in the three-node failover test: after the kill, the campaign's new activation heard an agent's wrap-up late
    /// (presence changes are one-way; the one sent to the dead activation was lost) while the agent already waited, and
    /// every pacing step threw: the wrap-up counted as an agent about to be free beside the same agent counted ready.
    /// The campaign dialed nothing for the rest of the run.
    /// </remarks>
    [Fact]
    public async Task A_waiting_agent_the_campaign_last_heard_of_as_wrapping_up_is_paced_for_as_ready()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive() with { DialMode = DialMode.Predictive });
        await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        var campaign = world.Campaign(campaignId);

        // A history of 10 s wrap-ups, as a campaign that moved nodes brings along in its pacing state.
        var earlier = world.Clock.GetUtcNow() - TimeSpan.FromHours(1);
        for (var i = 0; i < 20; i++)
        {
            await campaign.PresenceChanged(agentId, new AgentPresence(AgentState.WrapUp, earlier.AddMinutes(i)));
            await campaign.PresenceChanged(agentId, new AgentPresence(AgentState.Ready, earlier.AddMinutes(i).AddSeconds(10)));
        }

        Assert.True((await world.StartNextCaseAsync(agentId, campaignId)).Waiting);
        var stale = new AgentPresence(AgentState.WrapUp, world.Clock.GetUtcNow() - TimeSpan.FromSeconds(5));
        await campaign.PresenceChanged(agentId, stale);
        var dialed = await world.PaceAsync(campaignId, expectedNewDials: 1);

        Assert.Equal(Phone, Assert.Single(dialed).Request.Number);
    }

    [Fact]
    public async Task An_agent_whose_preview_campaign_starts_dialing_waits_for_a_lead_and_holds_no_case()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive() with { DialMode = DialMode.Preview });
        var first = await world.AddCaseAsync(campaignId, Phone);
        var second = await world.AddCaseAsync(campaignId, Phone + "1");
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.Agent(agentId).SetStatusAsync(AgentState.Ready, null);
        var taken = await world.StartNextCaseAsync(agentId, campaignId);
        await world.Agent(agentId).CompleteAsync(CallOutcome.NoAnswer);

        var view = await world.Campaign(campaignId).ViewAsync();
        await world.Campaign(campaignId).ChangeSettingsAsync(view.Record.Settings with { DialMode = DialMode.Progressive }, view.Record.Version);
        var start = await world.StartNextCaseAsync(agentId, campaignId);

        Assert.Contains(taken.Offer!.Case.Id, new[] { first, second });
        Assert.True(start.Waiting);
        Assert.Null(start.Offer);
        Assert.NotEqual(agentId, world.Stores.Case(first).HolderAgentId);
        Assert.NotEqual(agentId, world.Stores.Case(second).HolderAgentId);
        Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
    }

    [Fact]
    public async Task An_agent_whose_dialing_campaign_goes_to_preview_takes_a_case_with_the_next_request()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        Assert.True((await world.StartNextCaseAsync(agentId, campaignId)).Waiting);
        await world.Campaign(campaignId).StopWaitingAsync(agentId);

        var view = await world.Campaign(campaignId).ViewAsync();
        await world.Campaign(campaignId).ChangeSettingsAsync(view.Record.Settings with { DialMode = DialMode.Preview }, view.Record.Version);
        var start = await world.StartNextCaseAsync(agentId, campaignId);

        Assert.False(start.Waiting);
        Assert.Equal(caseId, start.Offer?.Case.Id);
        Assert.Equal(agentId, world.Stores.Case(caseId).HolderAgentId);
    }

    [Fact]
    public async Task A_person_answering_is_connected_to_the_waiting_agent_who_then_holds_the_case()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");

        var start = await world.StartNextCaseAsync(agentId, campaignId);
        Assert.Null(start.Offer);
        Assert.True(start.Waiting);
        Assert.Equal(AgentState.Ready, (await world.AgentViewAsync(agentId)).Presence.State);

        var dialed = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        Assert.Equal(Phone, dialed.Request.Number);
        Assert.True(dialed.Request.RingTimeout >= OriginateRequest.MinimumRingTimeout);

        // Dialed only after the case was durably held (by a dialing line) and the call recorded.
        var line = world.Stores.Case(caseId).HolderAgentId;
        Assert.NotNull(line);
        Assert.NotEqual(agentId, line);
        Assert.Single(world.Calls.All);

        world.Clock.Advance(TimeSpan.FromSeconds(8));
        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));

        var lead = await world.LeadAsync(agentId, campaignId);
        Assert.NotNull(lead);
        Assert.Equal(caseId, lead!.CaseId);
        Assert.Equal(agentId, lead.AgentId);
        Assert.Equal(CallStates.Connected, lead.State);
        Assert.Equal(agentId, world.Stores.Case(caseId).HolderAgentId);
        Assert.Contains(world.Gateway.Connected, c => c.Call == dialed.Call && c.Agent.AgentId == DialerCluster.Dialing.Grains.GrainKeys.Of(agentId));

        var offer = await world.Agent(agentId).LeadOfferAsync(lead);
        Assert.Equal(caseId, offer.Case.Id);
        Assert.Equal(lead.CallId, offer.Call!.CallId);
        await DialerWorld.Eventually(() => world.Board.Agent(agentId) is { State: AgentState.OnCall, CallState: CallStates.Connected } snapshot && snapshot.CaseId == caseId);

        // The person hangs up: the call ends, the agent goes to wrap-up with the case; completing records the attempt.
        world.Clock.Advance(TimeSpan.FromSeconds(90));
        await world.RaiseAsync(campaignId, new CallHungUp(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), HangUpParty.Customer));
        await DialerWorld.Eventually(() => world.Board.Agent(agentId) is { State: AgentState.WrapUp, CallState: CallStates.Ended });
        var done = await world.Agent(agentId).CompleteAsync(CallOutcome.Talked);
        Assert.Equal(1, done.Attempts);

        var end = Assert.Single(world.Calls.All).End;
        Assert.NotNull(end);
        Assert.Equal(CallOutcome.Talked, end!.Outcome);
        Assert.False(end.Abandoned);
        var kinds = world.Stores.Activities(caseId).Select(a => a.Activity.Kind).ToArray();
        Assert.Contains(CaseActivityKind.Assigned, kinds);
        Assert.Contains(world.Stores.Activities(caseId), a => a.Activity.Kind == CaseActivityKind.CallAttempt && a.Activity.Outcome == CallOutcome.Talked);
    }

    [Fact]
    public async Task A_campaign_with_its_own_caller_id_dials_with_it_and_one_without_uses_the_nodes()
    {
        await using var world = new DialerWorld(silo);
        var own = await world.CampaignAsync(CallOutcomes.Progressive() with { CallerId = "+442079460999" });
        var plain = await world.CampaignAsync(CallOutcomes.Progressive());
        await world.AddCaseAsync(own, Phone);
        await world.AddCaseAsync(plain, "+4930123457");
        var ada = await world.AgentAsync(own, "Ada");
        var bob = await world.AgentAsync(plain, "Bob");

        await world.StartNextCaseAsync(ada, own);
        await world.StartNextCaseAsync(bob, plain);
        var ownCall = Assert.Single(await world.PaceAsync(own, expectedNewDials: 1));
        var plainCall = Assert.Single(await world.PaceAsync(plain, expectedNewDials: 1));

        Assert.Equal("+442079460999", ownCall.Request.CallerId);
        Assert.Equal(new DialerOptions().CallerId, plainCall.Request.CallerId);
    }

    [Fact]
    public async Task Completing_during_a_live_call_hangs_up_and_puts_the_agent_in_wrap_up_so_they_can_go_ready_again()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");

        var start = await world.StartNextCaseAsync(agentId, campaignId);
        var dialed = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        var lead = await world.LeadAsync(agentId, campaignId);
        await world.Agent(agentId).LeadOfferAsync(lead!);
        Assert.Equal(AgentState.OnCall, (await world.AgentViewAsync(agentId)).Presence.State);

        // The agent ends the conversation from the desk while the line is still up.
        await world.Agent(agentId).CompleteAsync(CallOutcome.Talked);

        Assert.Equal(AgentState.WrapUp, (await world.AgentViewAsync(agentId)).Presence.State);
        await world.Agent(agentId).SetStatusAsync(AgentState.Ready, null);
        Assert.Equal(AgentState.Ready, (await world.AgentViewAsync(agentId)).Presence.State);
    }

    [Fact]
    public async Task A_call_longer_than_the_hold_timeout_keeps_the_case_with_its_agent_and_wrap_up_gets_the_whole_timeout_after_it()
    {
        await using var world = new DialerWorld(silo);
        var settings = CallOutcomes.Progressive() with { HoldTimeout = TimeSpan.FromMinutes(15) };
        var campaignId = await world.CampaignAsync(settings);
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        var start = await world.StartNextCaseAsync(agentId, campaignId);
        var dialed = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        Assert.NotNull(await world.LeadAsync(agentId, campaignId));

        // A 40-minute sales call, the holds checked every minute of it.
        for (var minute = 0; minute < 40; minute++)
        {
            world.Clock.Advance(TimeSpan.FromMinutes(1));
            await ExpireHoldsAsync(world, campaignId);
        }

        var afterTheCall = await HeldCaseAsync(world, campaignId, agentId);
        await world.RaiseAsync(campaignId, new CallHungUp(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), HangUpParty.Customer));
        world.Clock.Advance(TimeSpan.FromMinutes(14));
        await ExpireHoldsAsync(world, campaignId);
        var inWrapUp = await HeldCaseAsync(world, campaignId, agentId);
        world.Clock.Advance(TimeSpan.FromMinutes(2));
        await ExpireHoldsAsync(world, campaignId);
        var afterTheTimeout = await HeldCaseAsync(world, campaignId, agentId);

        Assert.Equal((caseId, caseId, (long?)null), (afterTheCall, inWrapUp, afterTheTimeout));
        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);
    }

    [Fact]
    public async Task An_answered_call_with_no_agent_within_two_seconds_is_abandoned_hung_up_counted_and_not_redialed_for_72_hours()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");

        await world.StartNextCaseAsync(agentId, campaignId);
        var dialed = (await world.PaceAsync(campaignId, expectedNewDials: 1))[0];
        Assert.Null(await world.StopWaitingAsync(agentId, campaignId));

        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        Assert.Empty(world.Gateway.HungUp);
        world.Clock.Advance(TimeSpan.FromSeconds(1.8));
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Contains(world.Gateway.HungUp, h => h.Call == dialed.Call && h.By == HangUpParty.System);
        var end = Assert.Single(world.Calls.All).End;
        Assert.True(end!.Abandoned);
        Assert.Equal(CallOutcome.Abandoned, end.Outcome);
        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);
        var stored = world.Stores.Case(caseId);
        Assert.Equal(1, stored.Attempts);
        Assert.True(stored.NextAttemptAt >= world.Clock.GetUtcNow() + RetryPolicy.AbandonedQuarantine - TimeSpan.FromSeconds(2));
        Assert.Contains(world.Stores.Activities(caseId), a => a.Activity.Kind == CaseActivityKind.CallAttempt && a.Activity.Outcome == CallOutcome.Abandoned);
        await DialerWorld.Eventually(() => world.Board.Campaign(campaignId)?.Dialing is { AbandonRate: > 0 });

        // The agent is back: another case is dialed, the abandoned one is not, even 71 hours later.
        await world.AddCaseAsync(campaignId, "+4930999999");
        await world.StartNextCaseAsync(agentId, campaignId);
        var next = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        Assert.NotEqual(Phone, next.Request.Number);
        await world.RaiseAsync(campaignId, new CallNoAnswer(next.Call, next.Request.CorrelationId, world.Clock.GetUtcNow()));
        world.Clock.Advance(TimeSpan.FromHours(71));
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Single(world.Gateway.Originated, o => o.Request.Number == Phone);
    }

    [Theory]
    [InlineData(CallOutcome.Busy)]
    [InlineData(CallOutcome.NoAnswer)]
    [InlineData(CallOutcome.Voicemail)]
    public async Task Busy_no_answer_and_machine_reschedule_per_the_campaigns_retry_delays(CallOutcome outcome)
    {
        await using var world = new DialerWorld(silo);
        var settings = CallOutcomes.Progressive();
        var campaignId = await world.CampaignAsync(settings);
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.StartNextCaseAsync(agentId, campaignId);
        var dialed = (await world.PaceAsync(campaignId, expectedNewDials: 1))[0];

        await world.RaiseAsync(campaignId, Event(outcome, dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow()));

        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);
        var stored = world.Stores.Case(caseId);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(world.Clock.GetUtcNow() + settings.RetryDelays.For(outcome)!.Value, stored.NextAttemptAt);
        Assert.Contains(world.Stores.Activities(caseId), a => a.Activity.Kind == CaseActivityKind.CallAttempt && a.Activity.Outcome == outcome);
        Assert.Equal(outcome, Assert.Single(world.Calls.All).End!.Outcome);
        if (outcome == CallOutcome.Voicemail)
        {
            Assert.Contains(world.Gateway.HungUp, h => h.Call == dialed.Call && h.By == HangUpParty.System);
        }

        // Not before the delay; again once it has passed.
        Assert.Empty(await world.PaceAsync(campaignId, expectedNewDials: 0));
        world.Clock.Advance(settings.RetryDelays.For(outcome)!.Value + TimeSpan.FromSeconds(1));
        Assert.Equal(Phone, Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1)).Request.Number);
    }

    [Fact]
    public async Task A_case_that_reached_its_maximum_attempts_is_not_dialed_again()
    {
        await using var world = new DialerWorld(silo);
        var settings = CallOutcomes.Progressive(maxAttempts: 1);
        var campaignId = await world.CampaignAsync(settings);
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.StartNextCaseAsync(agentId, campaignId);
        var dialed = (await world.PaceAsync(campaignId, expectedNewDials: 1))[0];

        await world.RaiseAsync(campaignId, new CallBusy(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow()));
        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);

        world.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Empty(await world.PaceAsync(campaignId, expectedNewDials: 0));
        Assert.Single(world.Gateway.Originated);
    }

    [Fact]
    public async Task Preview_campaigns_keep_handing_out_the_case_for_the_agent_to_dial()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(new CampaignSettings { Name = "preview" });
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.Agent(agentId).SetStatusAsync(AgentState.Ready, null);

        var start = await world.StartNextCaseAsync(agentId, campaignId);

        Assert.False(start.Waiting);
        Assert.Equal(caseId, start.Offer!.Case.Id);
        Assert.Null(start.Offer.Call);
        Assert.Empty(world.Gateway.Originated);
    }

    [Fact]
    public async Task A_campaign_activation_another_node_took_over_dials_nothing_more()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        Assert.True((await world.StartNextCaseAsync(agentId, campaignId)).Waiting);

        await using var other = await world.OtherNodeAsync();
        await other.CampaignViewAsync(campaignId);
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Empty(world.Gateway.Originated);
        Assert.Empty(world.Calls.All);
        Assert.Null(world.Stores.Case(caseId).HolderAgentId);
    }

    [Fact]
    public async Task A_long_poll_for_an_agent_no_longer_waiting_ends_at_once_with_why()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var agentId = await world.AgentAsync(campaignId, "Ada");
        Assert.True((await world.StartNextCaseAsync(agentId, campaignId)).Waiting);
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        var stop = await world.Campaign(campaignId).StopWaitingAsync(agentId);
        var poll = await world.Campaign(campaignId).AwaitLeadAsync(agentId, TimeSpan.FromSeconds(30));

        // No case to dial: the pacing step found nothing, and the wait says so instead of timing out (or spinning).
        Assert.Equal(new LeadPoll(null, NoCaseReason.NothingDialable), stop);
        Assert.Equal(new LeadPoll(null, NoCaseReason.NothingDialable), poll);
    }

    [Fact]
    public async Task A_long_poll_that_ends_while_the_call_still_rings_says_the_campaign_is_still_dialing()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        await world.AddCaseAsync(campaignId, Phone);
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.StartNextCaseAsync(agentId, campaignId);
        Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));

        Assert.Equal(new LeadPoll(null, null), await world.PollAsync(agentId, campaignId));
        Assert.Equal(new LeadPoll(null, NoCaseReason.WaitEnded), await world.Campaign(campaignId).StopWaitingAsync(agentId));
    }

    private static CallEvent Event(CallOutcome outcome, CallId call, string correlation, DateTimeOffset at) => outcome switch
    {
        CallOutcome.Busy => new CallBusy(call, correlation, at),
        CallOutcome.NoAnswer => new CallNoAnswer(call, correlation, at),
        CallOutcome.Voicemail => new CallAnswered(call, correlation, at, AnsweredBy.Machine),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static async Task<long?> HeldCaseAsync(DialerWorld world, long campaignId, long agentId) =>
        (await world.Campaign(campaignId).HeldByAsync(agentId))?.CaseId;

    private static Task ExpireHoldsAsync(DialerWorld world, long campaignId) =>
        world.CampaignTurns(campaignId).ExpireHoldsAsync();
}
