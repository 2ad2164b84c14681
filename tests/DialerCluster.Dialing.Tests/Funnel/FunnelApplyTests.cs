using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Tests.Funnel;

public sealed class FunnelApplyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly CaseForm AllButNote = new(
        NextContactAt: Now.AddDays(1),
        AcquisitionStage: "needs analysis",
        LeadSource: "webinar",
        ExpectedCloseDate: new DateOnly(2025, 4, 30),
        ContractStage: "draft sent",
        ResignationReason: "price");

    public static TheoryData<CaseStatus, CaseStatus> EveryAllowedMove()
    {
        var data = new TheoryData<CaseStatus, CaseStatus>();
        foreach (var from in Enum.GetValues<CaseStatus>())
        {
            foreach (var to in Enum.GetValues<CaseStatus>())
            {
                if (FunnelRules.TransitionRefusal(from, to) is null)
                {
                    data.Add(from, to);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryAllowedMove))]
    public void The_note_survives_every_status_change(CaseStatus from, CaseStatus to)
    {
        var current = AllButNote with { Note = "call after 3 pm, ask for Anna" };

        var decision = FunnelRules.Apply(from, current, to, CaseForm.Empty, "agent-7", Now);

        Assert.True(decision.IsAccepted);
        Assert.Equal(to, decision.Status);
        Assert.Equal("call after 3 pm, ask for Anna", decision.Form.Note);
    }

    [Fact]
    public void An_update_merges_fields_and_keeps_what_it_does_not_name()
    {
        var current = new CaseForm(LeadSource: "webinar", Note: "likes golf");
        var patch = new CaseForm(
            NextContactAt: Now.AddDays(2), AcquisitionStage: "demo", ExpectedCloseDate: new DateOnly(2025, 5, 1));

        var decision = FunnelRules.Apply(CaseStatus.New, current, CaseStatus.InAcquisition, patch, "agent-7", Now);

        Assert.True(decision.IsAccepted);
        Assert.Equal("webinar", decision.Form.LeadSource);
        Assert.Equal("demo", decision.Form.AcquisitionStage);
        Assert.Equal("likes golf", decision.Form.Note);
    }

    [Fact]
    public void A_patch_that_names_a_note_replaces_it_and_is_recorded()
    {
        var decision = FunnelRules.Apply(
            CaseStatus.New, new CaseForm(Note: "old"), null, new CaseForm(Note: "new"), "agent-7", Now);

        Assert.Equal("new", decision.Form.Note);
        var activity = Assert.Single(decision.Activities);
        Assert.Equal(CaseActivityKind.Note, activity.Kind);
        Assert.Equal("new", activity.Details);
        Assert.Equal("agent-7", activity.By);
        Assert.Equal(Now, activity.At);
    }

    [Fact]
    public void A_status_change_is_recorded_with_who_and_when()
    {
        var decision = FunnelRules.Apply(CaseStatus.InAcquisition, AllButNote, CaseStatus.Offered, CaseForm.Empty, "agent-7", Now);

        var activity = Assert.Single(decision.Activities);
        Assert.Equal(CaseActivityKind.StatusChanged, activity.Kind);
        Assert.Equal(CaseStatus.InAcquisition, activity.FromStatus);
        Assert.Equal(CaseStatus.Offered, activity.ToStatus);
        Assert.Equal("agent-7", activity.By);
        Assert.Equal(Now, activity.At);
    }

    [Fact]
    public void Resigning_records_the_reason_in_the_history()
    {
        var decision = FunnelRules.Apply(
            CaseStatus.Offered, AllButNote, CaseStatus.Resigned, new CaseForm(ResignationReason: "went with a competitor"), "agent-7", Now);

        Assert.Equal("went with a competitor", decision.Activities.Single(a => a.Kind == CaseActivityKind.StatusChanged).Details);
    }

    [Fact]
    public void Changed_form_fields_are_recorded_by_name_so_a_later_save_can_be_told_what_changed()
    {
        var decision = FunnelRules.Apply(
            CaseStatus.InAcquisition, AllButNote, null, new CaseForm(NextContactAt: Now.AddDays(3), LeadSource: "referral", Note: "moved"), "agent-7", Now);

        var fields = decision.Activities.Single(a => a.Kind == CaseActivityKind.FieldsChanged);
        Assert.Equal("nextContactAt, leadSource", fields.Details);
        Assert.Equal(("agent-7", Now), (fields.By, fields.At));
        Assert.Contains(decision.Activities, a => a.Kind == CaseActivityKind.Note);
    }

    [Fact]
    public void A_refused_update_changes_nothing_and_names_every_missing_field()
    {
        var current = new CaseForm(Note: "keep me");

        var decision = FunnelRules.Apply(CaseStatus.New, current, CaseStatus.Offered, new CaseForm(LeadSource: "fair"), "agent-7", Now);

        Assert.False(decision.IsAccepted);
        Assert.Equal(CaseStatus.New, decision.Status);
        Assert.Same(current, decision.Form);
        Assert.Empty(decision.Activities);
        Assert.Equal(["contractStage", "nextContactAt"], decision.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void A_closed_case_may_still_have_its_note_edited()
    {
        var decision = FunnelRules.Apply(CaseStatus.Won, CaseForm.Empty, CaseStatus.Won, new CaseForm(Note: "invoice sent"), "agent-7", Now);

        Assert.True(decision.IsAccepted);
        Assert.Equal("invoice sent", decision.Form.Note);
    }

    [Fact]
    public void Saving_without_changes_records_nothing()
    {
        var decision = FunnelRules.Apply(CaseStatus.InAcquisition, AllButNote, null, CaseForm.Empty, "agent-7", Now);

        Assert.True(decision.IsAccepted);
        Assert.Empty(decision.Activities);
    }

    [Theory]
    [InlineData(CaseStatus.New, false)]
    [InlineData(CaseStatus.InAcquisition, true)]
    [InlineData(CaseStatus.Offered, true)]
    [InlineData(CaseStatus.Won, false)]
    [InlineData(CaseStatus.Resigned, false)]
    public void Only_cases_in_acquisition_or_offered_carry_a_callback(CaseStatus status, bool carries)
    {
        var due = FunnelRules.CallbackDueAt(status, AllButNote);

        Assert.Equal(carries ? AllButNote.NextContactAt : null, due);
    }
}
