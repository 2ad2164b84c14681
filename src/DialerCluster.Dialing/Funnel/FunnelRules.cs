using System.Collections.Frozen;
using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Funnel;

/// <summary>
/// The sales funnel's rules (PRODUCT.md, "The sales-funnel campaign"): which status may follow which,
/// and which fields a status needs before a case may be saved in it.
/// </summary>
public static class FunnelRules
{
    public const int TextMaxLength = 500;
    public const int NoteMaxLength = 10_000;

    /// <summary>THE table of required fields per status. Change it here and nowhere else.</summary>
    private static readonly FrozenDictionary<CaseStatus, CaseFormField[]> RequiredByStatus =
        new Dictionary<CaseStatus, CaseFormField[]>
        {
            [CaseStatus.New] = [],
            [CaseStatus.InAcquisition] =
                [CaseFormField.NextContactAt, CaseFormField.AcquisitionStage, CaseFormField.LeadSource, CaseFormField.ExpectedCloseDate],
            [CaseStatus.Offered] = [CaseFormField.NextContactAt, CaseFormField.ContractStage],
            [CaseStatus.Won] = [],
            [CaseStatus.Resigned] = [CaseFormField.ResignationReason],
        }.ToFrozenDictionary();

    public static IReadOnlyList<CaseFormField> RequiredFields(CaseStatus status) =>
        RequiredByStatus.TryGetValue(status, out var fields)
            ? fields
            : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a defined case status.");

    /// <summary>
    /// Whether a case may move from <paramref name="current"/> to <paramref name="target"/>, ignoring the form.
    /// Staying is always allowed (it is how a note is edited, even on a closed case). Won and resigned are
    /// terminal. "New" means nobody has handled the case yet, so a handled case cannot go back to it.
    /// Any other move is allowed: a client may skip a stage, return from an offer to acquisition, or resign anywhere.
    /// </summary>
    public static string? TransitionRefusal(CaseStatus current, CaseStatus target)
    {
        if (current == target)
        {
            return null;
        }

        if (current.IsTerminal())
        {
            return $"the case is {current.ToWire()}; won and resigned are final and cannot change to {target.ToWire()}";
        }

        if (target == CaseStatus.New)
        {
            return $"a case that has been handled ({current.ToWire()}) cannot return to new";
        }

        return null;
    }

    /// <summary>
    /// Every reason <paramref name="form"/> cannot be saved with status <paramref name="target"/> on a case that is
    /// now <paramref name="current"/>: a refused move ("status") and each missing or oversized field by its wire name.
    /// Pass the form as it would be stored, i.e. already merged with the update (<see cref="CaseForm.MergedWith"/>).
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(CaseStatus current, CaseStatus target, CaseForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new List<FieldError>();

        if (!Enum.IsDefined(target))
        {
            errors.Add(new("status", $"must be one of {string.Join(", ", CaseStatusWire.All)}"));
            return errors;
        }

        if (TransitionRefusal(current, target) is { } refusal)
        {
            errors.Add(new("status", refusal));
        }

        foreach (var field in RequiredFields(target))
        {
            if (!field.IsPresentIn(form))
            {
                errors.Add(new(field.ToWire(), $"is required when the status is {target.ToWire()}"));
            }
        }

        CheckLength(errors, CaseFormField.AcquisitionStage, form.AcquisitionStage, TextMaxLength);
        CheckLength(errors, CaseFormField.LeadSource, form.LeadSource, TextMaxLength);
        CheckLength(errors, CaseFormField.ContractStage, form.ContractStage, TextMaxLength);
        CheckLength(errors, CaseFormField.ResignationReason, form.ResignationReason, TextMaxLength);
        CheckLength(errors, CaseFormField.Note, form.Note, NoteMaxLength);
        return errors;
    }

    /// <summary>
    /// Applies an update to a case: merges <paramref name="patch"/> into the form (the note is kept unless the
    /// patch names one), checks the result against <paramref name="target"/> (null: keep the status) and, when
    /// accepted, lists the history lines to append. When refused, the status and form come back unchanged.
    /// </summary>
    public static FunnelDecision Apply(
        CaseStatus current,
        CaseForm currentForm,
        CaseStatus? target,
        CaseForm patch,
        string by,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(currentForm);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);

        var status = target ?? current;
        var form = currentForm.MergedWith(patch);
        var errors = Validate(current, status, form);
        if (errors.Count > 0)
        {
            return new FunnelDecision(errors, current, currentForm, []);
        }

        var activities = new List<CaseActivity>(2);
        if (status != current)
        {
            activities.Add(CaseActivity.StatusChanged(
                current, status, now, by, status == CaseStatus.Resigned ? form.ResignationReason : null));
        }

        if (!string.Equals(form.Note, currentForm.Note, StringComparison.Ordinal))
        {
            activities.Add(CaseActivity.NoteChanged(form.Note ?? string.Empty, now, by));
        }

        // Every saved change leaves a line, so whoever saves an older copy can be told what changed since (lost updates).
        var changed = ChangedFields(currentForm, form);
        if (changed.Count > 0)
        {
            activities.Add(CaseActivity.FieldsChanged(changed.Select(f => f.ToWire()), now, by));
        }

        return new FunnelDecision([], status, form, activities);
    }

    /// <summary>The form fields other than the note (it has a history line of its own) that differ between two forms.</summary>
    public static IReadOnlyList<CaseFormField> ChangedFields(CaseForm before, CaseForm after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changed = new List<CaseFormField>(6);
        Add(CaseFormField.NextContactAt, before.NextContactAt != after.NextContactAt);
        Add(CaseFormField.AcquisitionStage, !string.Equals(before.AcquisitionStage, after.AcquisitionStage, StringComparison.Ordinal));
        Add(CaseFormField.LeadSource, !string.Equals(before.LeadSource, after.LeadSource, StringComparison.Ordinal));
        Add(CaseFormField.ExpectedCloseDate, before.ExpectedCloseDate != after.ExpectedCloseDate);
        Add(CaseFormField.ContractStage, !string.Equals(before.ContractStage, after.ContractStage, StringComparison.Ordinal));
        Add(CaseFormField.ResignationReason, !string.Equals(before.ResignationReason, after.ResignationReason, StringComparison.Ordinal));
        return changed;

        void Add(CaseFormField field, bool differs)
        {
            if (differs)
            {
                changed.Add(field);
            }
        }
    }

    /// <summary>
    /// The callback time a case carries for routing and the Reminders view: the next-contact time of a case
    /// in acquisition or offered; none otherwise (a new case is dialed by age, a closed one never).
    /// </summary>
    public static DateTimeOffset? CallbackDueAt(CaseStatus status, CaseForm form) =>
        status is CaseStatus.InAcquisition or CaseStatus.Offered ? form.NextContactAt : null;

    private static void CheckLength(List<FieldError> errors, CaseFormField field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(new(field.ToWire(), $"must be at most {max} characters"));
        }
    }
}

/// <summary>The outcome of <see cref="FunnelRules.Apply"/>: either errors, or the new status, form and history lines.</summary>
public sealed record FunnelDecision(
    IReadOnlyList<FieldError> Errors,
    CaseStatus Status,
    CaseForm Form,
    IReadOnlyList<CaseActivity> Activities)
{
    public bool IsAccepted => Errors.Count == 0;
}
