using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Tests.Grains;

public sealed class CaseChangeGrainTests(GrainSilo silo) : IAsyncLifetime, IClassFixture<GrainSilo>
{
    private readonly GrainWorld _world = new(silo);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static CasePatch Patch(CaseStatus? status = null, CaseForm? form = null, CasePriority? priority = null, long? expectedVersion = null, long? editor = null) =>
        new(status, form ?? CaseForm.Empty, priority, false, null, expectedVersion, editor, "tester");

    private Task<CaseRecord> ChangeAsync(long campaign, long caseId, CasePatch patch) => _world.Campaign(campaign).ChangeCaseAsync(caseId, patch);

    [Fact]
    public async Task Saving_in_acquisition_without_its_fields_names_every_missing_field()
    {
        var campaign = await _world.CampaignAsync();
        var caseId = _world.Stores.AddCase(campaign, "+493000000001");

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(() => ChangeAsync(campaign, caseId, Patch(CaseStatus.InAcquisition)));

        Assert.Equal(Refusal.Unprocessable, refusal.Refusal);
        Assert.Equal(["nextContactAt", "acquisitionStage", "leadSource", "expectedCloseDate"], refusal.Errors.Select(e => e.Field));
        Assert.Equal(CaseStatus.New, _world.Stores.Case(caseId).Status);
    }

    [Fact]
    public async Task A_booked_callback_waits_for_its_time_and_then_goes_to_its_owner_first()
    {
        var campaign = await _world.CampaignAsync();
        var owner = await _world.ReadyAgentAsync(campaign, "owner");
        var caseId = await _world.AddCaseAsync(campaign, "+493000000001", owner: owner);
        var form = new CaseForm(GrainWorld.T0.AddHours(1), "demo booked", "web", new DateOnly(2025, 4, 1), Note: "call after lunch");

        var saved = await ChangeAsync(campaign, caseId, Patch(CaseStatus.InAcquisition, form));
        Assert.Equal(CaseStatus.InAcquisition, saved.Status);
        Assert.Null(await _world.NextCaseAsync(owner, campaign));

        _world.Clock.Advance(TimeSpan.FromHours(1));
        await _world.AddCaseAsync(campaign, "+493000000002", CasePriority.High);
        var offer = await _world.NextCaseAsync(owner, campaign);

        Assert.Equal(caseId, offer!.Case.Id);
        Assert.Equal("call after lunch", offer.Case.Form.Note);
    }

    [Fact]
    public async Task Another_owners_due_callback_waits_until_the_owner_is_away_past_the_fallback()
    {
        var campaign = await _world.CampaignAsync();
        var owner = await _world.ReadyAgentAsync(campaign, "owner");
        var other = await _world.ReadyAgentAsync(campaign, "other");
        var caseId = await _world.AddCaseAsync(campaign, "+493000000001", owner: owner);
        var form = new CaseForm(GrainWorld.T0.AddMinutes(10), ContractStage: "draft sent");
        await ChangeAsync(campaign, caseId, Patch(CaseStatus.Offered, form));
        _world.Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await _world.NextCaseAsync(other, campaign));

        await _world.SetStatusAsync(owner, AgentState.Break, "training");
        _world.Clock.Advance(TimeSpan.FromHours(2));
        var offer = await _world.NextCaseAsync(other, campaign);

        Assert.Equal(caseId, offer!.Case.Id);
    }

    [Fact]
    public async Task A_priority_raise_moves_the_case_ahead()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);
        await _world.AddCaseAsync(campaign, "+493000000001", createdAt: GrainWorld.T0.AddDays(-2));
        var raised = await _world.AddCaseAsync(campaign, "+493000000002", createdAt: GrainWorld.T0.AddDays(-1));

        await ChangeAsync(campaign, raised, Patch(priority: CasePriority.High));
        var offer = await _world.NextCaseAsync(agent, campaign);

        Assert.Equal(raised, offer!.Case.Id);
        Assert.Contains(_world.Stores.Activities(raised), a => a.Activity.Kind == CaseActivityKind.PriorityChanged);
    }

    [Fact]
    public async Task A_won_case_leaves_the_queue()
    {
        var campaign = await _world.CampaignAsync();
        var agent = await _world.ReadyAgentAsync(campaign);
        var caseId = await _world.AddCaseAsync(campaign, "+493000000001");
        var offer = await _world.NextCaseAsync(agent, campaign);

        // The holder saves the card while holding the case: the hold raised the version, the save still goes through.
        await ChangeAsync(campaign, caseId, Patch(CaseStatus.Won, editor: agent));
        await _world.CompleteAsync(agent, DialerCluster.Dialing.Campaigns.CallOutcome.Talked);

        Assert.Null(await _world.NextCaseAsync(agent, campaign));
        var counts = (await _world.CampaignViewAsync(campaign)).Counts;
        Assert.Equal(1, counts.Won);
        Assert.Equal(0, counts.Ready);
        Assert.Equal(offer!.Case.Id, caseId);
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict()
    {
        var campaign = await _world.CampaignAsync();
        var caseId = _world.Stores.AddCase(campaign, "+493000000001");

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(
            () => ChangeAsync(campaign, caseId, Patch(form: new CaseForm(Note: "x"), expectedVersion: 42)));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
        Assert.Equal("version", refusal.Errors.Single().Field);
    }

    [Fact]
    public async Task Saving_a_case_another_agent_holds_is_a_conflict()
    {
        var campaign = await _world.CampaignAsync();
        var holder = await _world.ReadyAgentAsync(campaign, "holder");
        var other = await _world.ReadyAgentAsync(campaign, "other");
        var caseId = await _world.AddCaseAsync(campaign, "+493000000001");
        await _world.NextCaseAsync(holder, campaign);

        var refusal = await Assert.ThrowsAsync<RequestRefusedException>(
            () => ChangeAsync(campaign, caseId, Patch(form: new CaseForm(Note: "mine"), editor: other)));

        Assert.Equal(Refusal.Conflict, refusal.Refusal);
    }

    [Fact]
    public async Task The_note_survives_a_status_change()
    {
        var campaign = await _world.CampaignAsync();
        var caseId = _world.Stores.AddCase(campaign, "+493000000001");
        await ChangeAsync(campaign, caseId, Patch(form: new CaseForm(Note: "prefers mornings")));

        var saved = await ChangeAsync(campaign, caseId, Patch(CaseStatus.Resigned, new CaseForm(ResignationReason: "too expensive")));

        Assert.Equal("prefers mornings", saved.Form.Note);
        Assert.Equal(CaseStatus.Resigned, _world.Stores.Case(caseId).Status);
    }
}
