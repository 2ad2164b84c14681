using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;
using DialerCluster.Dialing.Tests.Monitoring;

namespace DialerCluster.Dialing.Tests.Dialer;

/// <summary>
/// Issue 12, fencing: a campaign activation on a node that stopped (paused, cut off) is replaced by one on another
/// node over the same database. Whatever the stopped one left half done must not make the new one dial a number again
/// inside the outcome-unknown quarantine.
/// </summary>
public sealed class StaleActivationTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    private const string Phone = "+4930123456";

    [Fact]
    public async Task A_case_whose_answered_call_was_being_handed_to_an_agent_when_its_node_stopped_is_not_dialed_again_inside_the_quarantine()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var caseId = await world.AddCaseAsync(campaignId, Phone);
        var ada = await world.AgentAsync(campaignId, "Ada");
        var bob = await world.AgentAsync(campaignId, "Bob");
        await world.StartNextCaseAsync(ada, campaignId);
        Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));
        var line = world.Stores.Case(caseId).HolderAgentId!.Value;

        // The person answers; the node moves the hold from its line to Ada in two writes, and stops between them: the
        // line's release committed, Ada's hold never came. The store shows a free case whose call is up.
        var at = world.Clock.GetUtcNow();
        var release = new CaseRelease(caseId, line, at, 0, null, CaseActivity.Assigned(GrainKeys.Of(ada), at), world.Stores.EpochOf(campaignId));
        Assert.True(await world.Stores.ReleaseAsync(release, CancellationToken.None));

        using var probe = new MetricsProbe(world.Meters);
        var carrier = new ScriptedGateway();
        await using var other = await world.OtherDialingNodeAsync(carrier);
        Assert.True((await other.Agent(bob).StartNextCaseAsync(campaignId)).Waiting);
        await other.CampaignTurns(campaignId).PaceAsync();

        Assert.Equal(new LeadPoll(null, NoCaseReason.NothingDialable), await other.Campaign(campaignId).StopWaitingAsync(bob));
        Assert.Empty(carrier.Originated);
        Assert.Equal(1, probe.Sum("outcome.unknown.cases", ("campaign", campaignId.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        // Once the quarantine is over the case is dialed again.
        world.Clock.Advance(new DialerOptions().OutcomeUnknownQuarantine);
        Assert.True((await other.Agent(bob).StartNextCaseAsync(campaignId)).Waiting);
        await other.CampaignTurns(campaignId).PaceAsync();
        await DialerWorld.Eventually(() => carrier.Originated.Count == 1);
        Assert.Equal(Phone, Assert.Single(carrier.Originated).Request.Number);
    }

    [Fact]
    public async Task A_call_event_of_the_stopped_activations_carrier_delivered_to_the_new_activation_leaves_its_own_calls_alone()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var first = await world.AddCaseAsync(campaignId, Phone);
        var ada = await world.AgentAsync(campaignId, "Ada");
        var bob = await world.AgentAsync(campaignId, "Bob");
        await world.StartNextCaseAsync(ada, campaignId);
        var stale = Assert.Single(await world.PaceAsync(campaignId, expectedNewDials: 1));

        // The new activation finds the first case on a line (quarantined) and dials the second.
        var carrier = new ScriptedGateway();
        await using var other = await world.OtherDialingNodeAsync(carrier);
        var second = world.Stores.AddCase(campaignId, "+4930123457");
        await other.Campaign(campaignId).CasesCreatedAsync([world.Stores.Routing(second)]);
        Assert.True((await other.Agent(bob).StartNextCaseAsync(campaignId)).Waiting);
        await other.CampaignTurns(campaignId).PaceAsync();
        await DialerWorld.Eventually(() => carrier.Originated.Count == 1 && world.Calls.All.Count == 2);
        var line = world.Stores.Case(second).HolderAgentId;
        Assert.NotNull(line);

        // The stopped node's carrier reports its call's end; Orleans delivers it to the campaign's activation, the new one.
        await other.Campaign(campaignId).OnCallEvent(new CallNoAnswer(stale.Call, stale.Request.CorrelationId, world.Clock.GetUtcNow()));
        await other.CampaignTurns(campaignId).IsPacingAsync();

        Assert.Equal(line, world.Stores.Case(second).HolderAgentId);
        Assert.Equal(0, world.Stores.Case(second).Attempts);
        Assert.Null(world.Calls.All[1].End);
        Assert.NotNull(world.Stores.Case(first).HolderAgentId);
    }

    [Fact]
    public async Task An_agent_left_on_call_with_no_case_by_a_call_lost_with_its_node_waits_for_the_next_lead_when_asking_for_one()
    {
        await using var world = new DialerWorld(silo);
        var campaignId = await world.CampaignAsync(CallOutcomes.Progressive());
        var ada = await world.AgentAsync(campaignId, "Ada");

        // On a call as far as the agent's state says, with no case anywhere: the call and its lead went with a node.
        await world.Agent(ada).SetStatusAsync(AgentState.Ready, null);
        await world.Agent(ada).SetStatusAsync(AgentState.OnCall, null);

        Assert.True((await world.StartNextCaseAsync(ada, campaignId)).Waiting);
        Assert.Equal(AgentState.Ready, (await world.AgentViewAsync(ada)).Presence.State);
    }
}
