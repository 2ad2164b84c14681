using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Grains;
using Orleans.Storage;

namespace DialerCluster.Dialing.Tests.Grains;

public sealed class AgentGrainTests(GrainSilo silo) : IAsyncLifetime, IClassFixture<GrainSilo>
{
    private readonly GrainWorld _world = new(silo);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task A_state_change_is_logged_and_resumed_after_a_restart()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);
        _world.Clock.Advance(TimeSpan.FromMinutes(3));
        await _world.SetStatusAsync(agent, AgentState.Break, "coffee");

        await using var restarted = await _world.RestartedAsync();
        var view = await restarted.Agent(agent).ViewAsync();

        Assert.Equal(AgentState.Break, view.Presence.State);
        Assert.Equal("coffee", view.Presence.Reason);
        Assert.Equal(GrainWorld.T0.AddMinutes(3), view.Presence.Since);
        Assert.Equal(view.Presence, _world.Parts.GrainState.Read<AgentMemory>(AgentMemory.StateName, _world.Agent(agent).GetGrainId())?.Presence);
        Assert.Equal([AgentState.Ready, AgentState.Break], _world.Stores.StateLog(agent).Select(p => p.State));
    }

    [Fact]
    public async Task An_agent_from_before_grain_state_existed_resumes_from_the_log()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.SetStatusAsync(agent, AgentState.Break, "coffee");

        await using var upgraded = await _world.RestartedAsync(new GrainStateTable());
        var view = await upgraded.Agent(agent).ViewAsync();

        Assert.Equal((AgentState.Break, "coffee"), (view.Presence.State, view.Presence.Reason));
    }

    [Fact]
    public async Task A_stale_activation_cannot_overwrite_the_presence_a_newer_one_wrote()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);
        await using var other = await _world.RestartedAsync();
        await other.SetStatusAsync(agent, AgentState.Break, "lunch");

        await Assert.ThrowsAsync<InconsistentStateException>(() => _world.SetStatusAsync(agent, AgentState.Offline));

        // Orleans let the stale activation go; the next one reads what the newer one wrote.
        var view = await _world.AgentViewAsync(agent);
        Assert.Equal((AgentState.Break, "lunch"), (view.Presence.State, view.Presence.Reason));
        Assert.Equal([AgentState.Ready, AgentState.Break], _world.Stores.StateLog(agent).Select(p => p.State));
    }

    [Fact]
    public async Task A_break_without_a_reason_is_unprocessable()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.SetStatusAsync(agent, AgentState.Break));

        Assert.Equal(Refusal.Unprocessable, refusal.Refusal);
        Assert.Equal("reason", refusal.Errors.Single().Field);
    }

    [Fact]
    public async Task A_move_the_state_machine_forbids_is_a_conflict()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.SetStatusAsync(agent, AgentState.WrapUp));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
    }

    [Fact]
    public async Task An_unknown_agent_is_not_found()
    {
        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => _world.SetStatusAsync(424242, AgentState.Ready));

        Assert.Equal(Refusal.NotFound, refusal.Refusal);
    }

    [Fact]
    public async Task The_live_board_shows_the_agent_with_its_case_and_the_campaign_counts()
    {
        var campaign = await _world.CampaignAsync();
        var caseId = _world.Stores.AddCase(campaign, "+493000000001", createdAt: GrainWorld.T0.AddDays(-2));
        _world.Stores.AddCase(campaign, "+493000000002", createdAt: GrainWorld.T0.AddDays(-1));
        var agent = await _world.ReadyAgentAsync(campaign);
        using var subscription = _world.Board.Subscribe();

        await _world.NextCaseAsync(agent, campaign);

        var snapshot = _world.Board.Snapshot();
        var shown = Assert.Single(snapshot.Agents);
        Assert.Equal((AgentState.Ready, campaign, caseId), (shown.State, shown.CampaignId, shown.CaseId));
        var counts = Assert.Single(snapshot.Campaigns).Counts;
        Assert.Equal((2, 1, 1), (counts.New, counts.Held, counts.Ready));
        Assert.True(subscription.Events.TryRead(out _));
    }
}
