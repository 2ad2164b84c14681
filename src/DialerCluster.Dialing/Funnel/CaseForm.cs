namespace DialerCluster.Dialing.Funnel;

/// <summary>
/// The case card an agent fills in. Every field is optional in the type; which ones must be present
/// depends on the status (see <see cref="FunnelRules"/>, the one table of required fields).
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseForm(
    DateTimeOffset? NextContactAt = null,
    string? AcquisitionStage = null,
    string? LeadSource = null,
    DateOnly? ExpectedCloseDate = null,
    string? ContractStage = null,
    string? ResignationReason = null,
    string? Note = null)
{
    public static readonly CaseForm Empty = new();

    /// <summary>
    /// Applies an update: a field the patch leaves null keeps its current value. That is how the note
    /// survives every status change: a status change carries no note, so the note is kept; only a patch
    /// that names a note (even an empty one, to clear it on purpose) replaces it.
    /// </summary>
    public CaseForm MergedWith(CaseForm patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new CaseForm(
            patch.NextContactAt ?? NextContactAt,
            patch.AcquisitionStage ?? AcquisitionStage,
            patch.LeadSource ?? LeadSource,
            patch.ExpectedCloseDate ?? ExpectedCloseDate,
            patch.ContractStage ?? ContractStage,
            patch.ResignationReason ?? ResignationReason,
            patch.Note ?? Note);
    }
}
