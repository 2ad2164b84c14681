using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Pacing;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;

namespace DialerCluster.Dialing.Tests.Dialer;

/// <summary>
/// Predictive campaigns hang up a call that has rung 15 s (FCC 47 CFR 64.1200(a)(6)) when its answer would likely find
/// no agent (<see cref="Pacer.ShouldRelease"/>): through the campaign grain, the scripted gateway and the hand-moved clock.
/// </summary>
public sealed class ReleaseRingingCallTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    private const int Team = 4;

    private static readonly TimeSpan Ring = Pacer.MinimumRingBeforeRelease;

    [Fact]
    public async Task An_over_dialed_call_ringing_15_seconds_while_every_agent_talks_is_released_as_a_no_answer_retried_per_the_campaigns_delays()
    {
        await using var world = new DialerWorld(silo);
        var settings = Predictive();
        var campaignId = await world.CampaignAsync(settings);
        for (var i = 0; i < 3 * Team; i++)
        {
            await world.AddCaseAsync(campaignId, Phone(i));
        }

        var agents = new List<long>();
        var starts = new List<NextCaseStart>();
        for (var i = 0; i < Team; i++)
        {
            agents.Add(await world.AgentAsync(campaignId, "Agent " + i));
            starts.Add(await world.StartNextCaseAsync(agents[i], campaignId));
        }

        // Predictive dials more calls than there are agents waiting, counting on some not being answered.
        // Each dial opened a line in the pacing turn; the dials reach the gateway once their durable writes are done.
        await world.PaceAsync(campaignId, expectedNewDials: Team + 1);
        var lineCount = await LineCountAsync(world, campaignId);
        await DialerWorld.Eventually(() => world.Gateway.Originated.Count == lineCount);
        var dialed = world.Gateway.Originated.ToArray();
        var lines = dialed.Select(c => world.Stores.Case(CaseOf(world, c.Request.Number)).HolderAgentId!.Value).ToArray();
        foreach (var call in dialed)
        {
            await world.RaiseAsync(campaignId, new CallRinging(call.Call, call.Request.CorrelationId, world.Clock.GetUtcNow()));
        }

        // As many calls as agents are answered and take every agent; the others go on ringing with nobody to take them.
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        var answered = dialed.Take(Team).ToArray();
        foreach (var call in answered)
        {
            await world.RaiseAsync(campaignId, new CallAnswered(call.Call, call.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        }

        for (var i = 0; i < Team; i++)
        {
            var lead = await world.LeadAsync(agents[i], campaignId);
            await world.Agent(agents[i]).LeadOfferAsync(lead!);
            var agentId = agents[i];
            await DialerWorld.Eventually(() => world.Board.Agent(agentId) is { State: AgentState.OnCall });
        }

        world.Clock.Advance(Ring - TimeSpan.FromSeconds(1));
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        var ringing = dialed.Skip(Team).ToArray();
        Assert.All(ringing, call => Assert.Contains((call.Call, HangUpParty.System), world.Gateway.HungUp));
        Assert.Equal(ringing.Length, world.Gateway.HungUp.Count);

        // The carrier confirms each cancel, as a real one does.
        world.Clock.Advance(TimeSpan.FromMilliseconds(200));
        foreach (var call in ringing)
        {
            await world.RaiseAsync(campaignId, new CallHungUp(call.Call, call.Request.CorrelationId, world.Clock.GetUtcNow(), HangUpParty.System));
        }

        for (var i = 0; i < ringing.Length; i++)
        {
            var call = ringing[i];
            var caseId = CaseOf(world, call.Request.Number);
            await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);
            var stored = world.Stores.Case(caseId);
            Assert.Equal(1, stored.Attempts);
            Assert.Equal(world.Clock.GetUtcNow() + settings.RetryDelays.For(CallOutcome.NoAnswer)!.Value, stored.NextAttemptAt);
            Assert.Contains(world.Stores.Activities(caseId), a => a.Activity.Kind == CaseActivityKind.CallAttempt && a.Activity.Outcome == CallOutcome.NoAnswer);
            var end = world.Calls.All.Single(c => c.Start.Phone == call.Request.Number).End;
            Assert.NotNull(end);
            Assert.Equal(CallOutcome.NoAnswer, end!.Outcome);
            Assert.False(end.Abandoned);
            Assert.Null(end.AnsweredAt);

            // The line that rang it holds nothing any more, neither in the campaign's queue nor in the store.
            Assert.Null(await world.Campaign(campaignId).HeldByAsync(lines[Team + i]));
        }

        // The released calls' lines are free: with fewer cases left to dial than there are lines (the dialer opens a line
        // before it looks for a case), no new line is opened, though more calls are dialed than the answered calls' lines
        // alone could carry.
        var stillEligible = (3 * Team) - dialed.Length;
        Assert.True(stillEligible < lineCount);
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = stillEligible; i < lineCount - 1; i++)
        {
            await world.AddCaseAsync(campaignId, Phone(100 + i));
        }

        for (var i = 0; i < lineCount; i++)
        {
            var helper = await world.AgentAsync(campaignId, "Helper " + i);
            await world.StartNextCaseAsync(helper, campaignId);
        }

        await world.PaceAsync(campaignId, expectedNewDials: Team + 1);
        Assert.Equal(lineCount, await LineCountAsync(world, campaignId));
    }

    [Fact]
    public async Task A_call_is_never_released_before_15_seconds_of_ringing_counted_from_the_ringing_event_not_the_dial()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, _, dialed) = await RingingWithNoAgentWaitingAsync(world, DialMode.Predictive, ringsAfter: TimeSpan.FromSeconds(5));

        // 19.9 s after the dial, 14.9 s of ringing: kept.
        world.Clock.Advance(Ring - TimeSpan.FromMilliseconds(100));
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Empty(world.Gateway.HungUp);

        world.Clock.Advance(TimeSpan.FromMilliseconds(100));
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Equal([(dialed.Call, HangUpParty.System)], world.Gateway.HungUp);
    }

    [Fact]
    public async Task A_call_only_routed_so_far_is_not_ringing_and_the_15_seconds_count_from_when_it_rings()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, _, dialed) = await RingingWithNoAgentWaitingAsync(world, DialMode.Predictive, ringsAfter: TimeSpan.Zero, alerting: false);

        // Routed (SIP 100) for 20 s, then ringing (SIP 180): only the ringing counts.
        world.Clock.Advance(TimeSpan.FromSeconds(20));
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        await world.RaiseAsync(campaignId, new CallRinging(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow()));
        world.Clock.Advance(Ring - TimeSpan.FromMilliseconds(100));
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Empty(world.Gateway.HungUp);

        world.Clock.Advance(TimeSpan.FromMilliseconds(100));
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Equal([(dialed.Call, HangUpParty.System)], world.Gateway.HungUp);
    }

    [Theory]
    [InlineData(DialMode.Predictive, true)]
    [InlineData(DialMode.Progressive, false)]
    [InlineData(DialMode.Power, false)]
    public async Task Only_predictive_campaigns_release_a_ringing_call(DialMode mode, bool released)
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, _, dialed) = await RingingWithNoAgentWaitingAsync(world, mode, ringsAfter: TimeSpan.Zero);

        world.Clock.Advance(Ring);
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        world.Clock.Advance(TimeSpan.FromSeconds(5));
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Equal(released, world.Gateway.HungUp.Contains((dialed.Call, HangUpParty.System)));
        Assert.Equal(released, world.Calls.All.Single().End is { Outcome: CallOutcome.NoAnswer });
    }

    [Fact]
    public async Task An_answer_arriving_for_a_call_already_released_is_not_connected_but_abandoned_and_quarantined()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, agentId, dialed) = await RingingWithNoAgentWaitingAsync(world, DialMode.Predictive, ringsAfter: TimeSpan.Zero);
        var caseId = CaseOf(world, dialed.Request.Number);
        world.Clock.Advance(Ring);
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Contains((dialed.Call, HangUpParty.System), world.Gateway.HungUp);

        // The agent comes back to wait, and the carrier reports the answer that raced our hang-up.
        var start = await world.StartNextCaseAsync(agentId, campaignId);
        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        await world.RaiseAsync(campaignId, new CallHungUp(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), HangUpParty.System));

        Assert.Empty(world.Gateway.Connected);
        Assert.True(start.Waiting);
        Assert.Null(await world.LeadOfAsync(agentId, campaignId));
        var end = Assert.Single(world.Calls.All).End;
        Assert.NotNull(end);
        Assert.Equal(CallOutcome.Abandoned, end!.Outcome);
        Assert.True(end.Abandoned);
        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);
        Assert.Equal(world.Clock.GetUtcNow() + RetryPolicy.AbandonedQuarantine, world.Stores.Case(caseId).NextAttemptAt);
        await DialerWorld.Eventually(() => world.Board.Campaign(campaignId)?.Dialing is { AbandonRate: > 0 });
        Assert.Null(await world.StopWaitingAsync(agentId, campaignId));
    }

    [Fact]
    public async Task A_released_call_whose_end_the_carrier_never_reports_is_finished_as_a_no_answer_after_the_confirmation_wait()
    {
        await using var world = new DialerWorld(silo);
        var settings = Predictive();
        var (campaignId, _, dialed) = await RingingWithNoAgentWaitingAsync(world, DialMode.Predictive, ringsAfter: TimeSpan.Zero);
        var caseId = CaseOf(world, dialed.Request.Number);
        world.Clock.Advance(Ring);
        var releasedAt = world.Clock.GetUtcNow();
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.Contains((dialed.Call, HangUpParty.System), world.Gateway.HungUp);
        Assert.Null(Assert.Single(world.Calls.All).End);

        world.Clock.Advance(CampaignGrain.ReleaseConfirmationWait);
        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Equal(CallOutcome.NoAnswer, Assert.Single(world.Calls.All).End?.Outcome);
        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId is null);
        Assert.Equal(releasedAt + settings.RetryDelays.For(CallOutcome.NoAnswer)!.Value, world.Stores.Case(caseId).NextAttemptAt);
    }

    /// <summary>
    /// One agent, one case: the agent waits, the case is dialed (one call in every mode), the agent stops waiting (their
    /// long poll ended) so nobody would take an answer, and the call reports ringing <paramref name="ringsAfter"/> after the
    /// dial. The clock stands at the ringing event.
    /// </summary>
    private static async Task<(long CampaignId, long AgentId, (CallId Call, OriginateRequest Request) Dialed)> RingingWithNoAgentWaitingAsync(
        DialerWorld world, DialMode mode, TimeSpan ringsAfter, bool alerting = true)
    {
        var campaignId = await world.CampaignAsync(Predictive() with { DialMode = mode });
        await world.AddCaseAsync(campaignId, Phone(0));
        var agentId = await world.AgentAsync(campaignId, "Ada");
        await world.StartNextCaseAsync(agentId, campaignId);
        var dialed = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        Assert.Null(await world.StopWaitingAsync(agentId, campaignId));
        world.Clock.Advance(ringsAfter);
        await world.RaiseAsync(campaignId, new CallRinging(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), alerting));

        return (campaignId, agentId, dialed);
    }

    private static CampaignSettings Predictive() =>
        new() { Name = "predictive", DialMode = DialMode.Predictive, MaxAttempts = 5 };

    private static string Phone(int i) => "+49301234" + (50 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static long CaseOf(DialerWorld world, string phone) =>
        world.Calls.All.First(c => c.Start.Phone == phone).Start.CaseId;

    private static async Task<int> LineCountAsync(DialerWorld world, long campaignId) =>
        (await ((IAgentStore)world.Stores).ListAsync(CancellationToken.None))
            .Count(a => a.Name.StartsWith($"{CampaignGrain.LineNamePrefix}{campaignId}.", StringComparison.Ordinal));
}
