using System.Globalization;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Dialing.Tests.Grains;

namespace DialerCluster.Dialing.Tests.Dialer;

/// <summary>
/// Predictive campaigns dial for the agents about to finish their wrap-up, not only for those already waiting (issue 5),
/// as the simulation does: through the campaign grain, the scripted gateway and the hand-moved clock.
/// </summary>
public sealed class PredictiveLookAheadTests(GrainSilo silo) : IClassFixture<GrainSilo>
{
    private const int Team = 4;

    /// <summary>Every wrap-up in the history takes exactly this long, so an agent 9 s into one is surely free within a second.</summary>
    private static readonly TimeSpan WrapUp = TimeSpan.FromSeconds(10);

    /// <summary>Wrap-ups per agent in the history: 5 × 4 = 20, the samples the estimator wants before it trusts them.</summary>
    private const int Rounds = 5;

    [Fact]
    public async Task A_predictive_campaign_whose_agents_are_all_finishing_wrap_up_dials_ahead_with_nobody_waiting()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, agents) = await TeamAsync(world, DialMode.Predictive, cases: 2 * Team);
        await AllFinishingWrapUpAsync(world, campaignId, agents);

        var dialed = await world.PaceAsync(campaignId, expectedNewDials: 1);

        Assert.NotEmpty(dialed);
        Assert.All(agents, agentId => Assert.Equal(AgentState.WrapUp, world.Board.Agent(agentId)?.State));
        Assert.True(await IsPacingAsync(world, campaignId));
    }

    [Theory]
    [InlineData(DialMode.Progressive)]
    [InlineData(DialMode.Power)]
    public async Task Progressive_and_power_campaigns_whose_agents_are_all_in_wrap_up_neither_dial_nor_keep_pacing(DialMode mode)
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, agents) = await TeamAsync(world, mode, cases: 2 * Team);
        await AllFinishingWrapUpAsync(world, campaignId, agents);

        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Empty(world.Gateway.Originated);
        Assert.False(await IsPacingAsync(world, campaignId));
    }

    [Fact]
    public async Task A_call_dialed_ahead_and_answered_before_anyone_waits_goes_to_the_first_agent_to_finish_wrap_up()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, agents) = await TeamAsync(world, DialMode.Predictive, cases: 2 * Team);
        await AllFinishingWrapUpAsync(world, campaignId, agents);
        var dialed = (await world.PaceAsync(campaignId, expectedNewDials: 1))[0];
        var caseId = world.Calls.All.First(c => c.Start.Phone == dialed.Request.Number).Start.CaseId;

        world.Clock.Advance(TimeSpan.FromMilliseconds(500));
        await world.RaiseAsync(campaignId, new CallAnswered(dialed.Call, dialed.Request.CorrelationId, world.Clock.GetUtcNow(), AnsweredBy.Human));
        Assert.Empty(world.Gateway.Connected);

        // Half a second later the first agent ends wrap-up and asks for the next case: the answered call is theirs at once.
        world.Clock.Advance(TimeSpan.FromMilliseconds(500));
        var start = await world.StartNextCaseAsync(agents[0], campaignId);
        Assert.True(start.Waiting);
        var lead = await world.LeadAsync(agents[0], campaignId);

        Assert.NotNull(lead);
        Assert.Equal(caseId, lead!.CaseId);
        Assert.Equal(agents[0], lead.AgentId);
        Assert.Contains(world.Gateway.Connected, c => c.Call == dialed.Call);
        Assert.DoesNotContain(world.Gateway.HungUp, h => h.Call == dialed.Call);
        await DialerWorld.Eventually(() => world.Stores.Case(caseId).HolderAgentId == agents[0]);
        Assert.Null(world.Calls.All.First(c => c.Start.Phone == dialed.Request.Number).End);
    }

    [Fact]
    public async Task A_predictive_campaign_paces_while_its_agents_work_and_stops_dialing_and_pacing_once_every_agent_logged_out()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, agents) = await TeamAsync(world, DialMode.Predictive, cases: 0);
        await AllFinishingWrapUpAsync(world, campaignId, agents);

        // Nothing to dial, nobody waiting, no call up: the agents at work keep the campaign pacing.
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.True(await IsPacingAsync(world, campaignId));

        foreach (var agentId in agents)
        {
            await SetStatusAsync(world, agentId, AgentState.Offline);
        }

        await world.SettleAsync(campaignId);
        for (var i = 0; i < 2 * Team; i++)
        {
            await world.AddCaseAsync(campaignId, Phone(i));
        }

        await world.PaceAsync(campaignId, expectedNewDials: 0);

        Assert.Empty(world.Gateway.Originated);
        Assert.False(await IsPacingAsync(world, campaignId));

        // Logging in again starts it again, before anyone asks for a case.
        await SetStatusAsync(world, agents[0], AgentState.Ready);
        await world.SettleAsync(campaignId);
        Assert.True(await IsPacingAsync(world, campaignId));
    }

    [Fact]
    public async Task Switching_a_campaign_to_predictive_while_its_agents_work_starts_pacing_at_once()
    {
        await using var world = new DialerWorld(silo);
        var (campaignId, agents) = await TeamAsync(world, DialMode.Progressive, cases: 2 * Team);
        await AllFinishingWrapUpAsync(world, campaignId, agents);
        await world.PaceAsync(campaignId, expectedNewDials: 0);
        Assert.False(await IsPacingAsync(world, campaignId));

        var view = await world.Campaign(campaignId).ViewAsync();
        var predictive = view.Record.Settings with { DialMode = DialMode.Predictive };
        await world.Campaign(campaignId).ChangeSettingsAsync(predictive, view.Record.Version);

        Assert.True(await IsPacingAsync(world, campaignId));
    }

    private static async Task<(long CampaignId, long[] Agents)> TeamAsync(DialerWorld world, DialMode mode, int cases)
    {
        var campaignId = await world.CampaignAsync(new CampaignSettings { Name = "look-ahead", DialMode = mode, MaxAttempts = 5 });
        for (var i = 0; i < cases; i++)
        {
            await world.AddCaseAsync(campaignId, Phone(i));
        }

        var agents = new long[Team];
        for (var i = 0; i < Team; i++)
        {
            agents[i] = await world.AgentAsync(campaignId, "Agent " + i.ToString(CultureInfo.InvariantCulture));
        }

        return (campaignId, agents);
    }

    /// <summary>
    /// A history of wrap-ups as the agents' desks report them (ready, on a call, wrap-up, each wrap-up <see cref="WrapUp"/>
    /// long), then every agent 9 s into one more wrap-up: none waits, all are about to be free. The clock stands there.
    /// </summary>
    private static async Task AllFinishingWrapUpAsync(DialerWorld world, long campaignId, long[] agents)
    {
        for (var round = 0; round <= Rounds; round++)
        {
            foreach (var agentId in agents)
            {
                await SetStatusAsync(world, agentId, AgentState.Ready);
                await SetStatusAsync(world, agentId, AgentState.OnCall);
                await SetStatusAsync(world, agentId, AgentState.WrapUp);
            }

            world.Clock.Advance(round < Rounds ? WrapUp : WrapUp - TimeSpan.FromSeconds(1));
        }

        await world.SettleAsync(campaignId);
        Assert.All(agents, agentId => Assert.Equal(AgentState.WrapUp, world.Board.Agent(agentId)?.State));
    }

    private static async Task SetStatusAsync(DialerWorld world, long agentId, AgentState state) =>
        await world.Agent(agentId).SetStatusAsync(state, null);

    private static async Task<bool> IsPacingAsync(DialerWorld world, long campaignId) =>
        await world.IsPacingAsync(campaignId);

    private static string Phone(int i) => "+49301234" + (50 + i).ToString(CultureInfo.InvariantCulture);
}
