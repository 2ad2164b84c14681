using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Funnel;

/// <summary>The fields of <see cref="CaseForm"/>, named so rules and errors can refer to them.</summary>
public enum CaseFormField
{
    NextContactAt,
    AcquisitionStage,
    LeadSource,
    ExpectedCloseDate,
    ContractStage,
    ResignationReason,
    Note,
}

public static class CaseFormFieldWire
{
    private static readonly WireNames<CaseFormField> Names = new(
        (CaseFormField.NextContactAt, "nextContactAt"),
        (CaseFormField.AcquisitionStage, "acquisitionStage"),
        (CaseFormField.LeadSource, "leadSource"),
        (CaseFormField.ExpectedCloseDate, "expectedCloseDate"),
        (CaseFormField.ContractStage, "contractStage"),
        (CaseFormField.ResignationReason, "resignationReason"),
        (CaseFormField.Note, "note"));

    /// <summary>The JSON property name, as used in <see cref="FieldError.Field"/>.</summary>
    public static string ToWire(this CaseFormField field) => Names.ToWire(field);

    public static bool TryParse(string? wire, out CaseFormField field) => Names.TryParse(wire, out field);

    /// <summary>Present means set, and for text not blank: "   " is as good as nothing on a case card.</summary>
    public static bool IsPresentIn(this CaseFormField field, CaseForm form) => field switch
    {
        CaseFormField.NextContactAt => form.NextContactAt is not null,
        CaseFormField.AcquisitionStage => !string.IsNullOrWhiteSpace(form.AcquisitionStage),
        CaseFormField.LeadSource => !string.IsNullOrWhiteSpace(form.LeadSource),
        CaseFormField.ExpectedCloseDate => form.ExpectedCloseDate is not null,
        CaseFormField.ContractStage => !string.IsNullOrWhiteSpace(form.ContractStage),
        CaseFormField.ResignationReason => !string.IsNullOrWhiteSpace(form.ResignationReason),
        CaseFormField.Note => !string.IsNullOrWhiteSpace(form.Note),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
