using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Cases;

[GenerateSerializer]
public enum CaseActivityKind
{
    StatusChanged = 0,
    CallAttempt = 1,
    Note = 2,
    Assigned = 3,
    Released = 4,
    OwnerChanged = 5,
    PriorityChanged = 6,

    /// <summary>Form fields other than the note changed; details list them by wire name ("nextContactAt, leadSource").</summary>
    FieldsChanged = 7,
}

public static class CaseActivityKindWire
{
    private static readonly WireNames<CaseActivityKind> Names = new(
        (CaseActivityKind.StatusChanged, "status_changed"),
        (CaseActivityKind.CallAttempt, "call_attempt"),
        (CaseActivityKind.Note, "note"),
        (CaseActivityKind.Assigned, "assigned"),
        (CaseActivityKind.Released, "released"),
        (CaseActivityKind.OwnerChanged, "owner_changed"),
        (CaseActivityKind.PriorityChanged, "priority_changed"),
        (CaseActivityKind.FieldsChanged, "fields_changed"));

    public static string ToWire(this CaseActivityKind kind) => Names.ToWire(kind);

    public static bool TryParse(string? wire, out CaseActivityKind kind) => Names.TryParse(wire, out kind);
}

/// <summary>
/// One line of a case's history: what happened, when, and who did it (an agent or user id, or "system"
/// for the dialer itself). Append-only: history is never edited.
/// </summary>
/// <param name="Details">Free text: the note, the resignation reason, a recording reference, the new owner.</param>
[GenerateSerializer]
[Immutable]
public sealed record CaseActivity(
    CaseActivityKind Kind,
    DateTimeOffset At,
    string By,
    string? Details = null,
    CaseStatus? FromStatus = null,
    CaseStatus? ToStatus = null,
    CallOutcome? Outcome = null)
{
    public const string System = "system";

    public static CaseActivity StatusChanged(CaseStatus from, CaseStatus to, DateTimeOffset at, string by, string? details = null) =>
        new(CaseActivityKind.StatusChanged, at, by, details, from, to);

    public static CaseActivity CallAttempt(CallOutcome outcome, DateTimeOffset at, string by, string? recordingReference = null) =>
        new(CaseActivityKind.CallAttempt, at, by, recordingReference, Outcome: outcome);

    public static CaseActivity NoteChanged(string note, DateTimeOffset at, string by) =>
        new(CaseActivityKind.Note, at, by, note);

    public static CaseActivity FieldsChanged(IEnumerable<string> fields, DateTimeOffset at, string by) =>
        new(CaseActivityKind.FieldsChanged, at, by, string.Join(", ", fields));

    public static CaseActivity Assigned(string agentId, DateTimeOffset at) =>
        new(CaseActivityKind.Assigned, at, agentId);

    public static CaseActivity Released(string agentId, DateTimeOffset at, string? why = null) =>
        new(CaseActivityKind.Released, at, agentId, why);
}
