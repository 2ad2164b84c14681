using System.Text.Json;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

public sealed record ContactResponse(
    long Id,
    long? GroupId,
    string Name,
    IReadOnlyList<string> Phones,
    string? Email,
    string? Company,
    string? Address,
    string? TimeZone,
    string? Country,
    IReadOnlyDictionary<string, string> Attributes)
{
    public static ContactResponse From(ContactRecord c) =>
        new(c.Id, c.GroupId, c.Name, c.Phones, c.Email, c.Company, c.Address, c.TimeZone, c.Country, c.Attributes);
}

/// <summary>
/// A case with its form fields flat, named as the funnel's errors name them. <see cref="Holder"/> says who holds it: an
/// agent (also in <see cref="HolderAgentId"/>), or the dialer while its call rings (then <see cref="HolderAgentId"/> is null).
/// </summary>
public sealed record CaseResponse(
    long Id,
    long CampaignId,
    long ContactId,
    CaseStatus Status,
    CasePriority Priority,
    long? OwnerAgentId,
    DateTimeOffset? NextContactAt,
    string? AcquisitionStage,
    string? LeadSource,
    DateOnly? ExpectedCloseDate,
    string? ContractStage,
    string? ResignationReason,
    string? Note,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    long? HolderAgentId,
    DateTimeOffset? HeldAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    HolderResponse? Holder)
{
    /// <param name="holder">Who holds it, from <see cref="CaseHolders"/>; without it the holder is taken to be a person.</param>
    public static CaseResponse From(CaseRecord c, HolderResponse? holder = null)
    {
        holder ??= HolderResponse.Person(c.HolderAgentId);
        return new(
            c.Id, c.CampaignId, c.ContactId, c.Status, c.Priority, c.OwnerAgentId,
            c.Form.NextContactAt, c.Form.AcquisitionStage, c.Form.LeadSource, c.Form.ExpectedCloseDate,
            c.Form.ContractStage, c.Form.ResignationReason, c.Form.Note,
            c.Attempts, c.NextAttemptAt, holder?.AgentId, c.HeldAt, c.CreatedAt, c.UpdatedAt, c.Version, holder);
    }
}

/// <summary>
/// One line of a case's history. <see cref="By"/> is the actor as stored (an agent id, a user name, "system");
/// <see cref="ByName"/> is who that is for a person reading it (the agent's name, or "Dialer"), and <see cref="OwnerName"/>
/// names the new owner of an owner change.
/// </summary>
public sealed record ActivityResponse(
    long Id,
    CaseActivityKind Kind,
    DateTimeOffset At,
    string By,
    string ByName,
    string? Details,
    string? OwnerName,
    CaseStatus? FromStatus,
    CaseStatus? ToStatus,
    CallOutcome? Outcome)
{
    public static ActivityResponse From(StoredActivity stored, IReadOnlyDictionary<string, string> names)
    {
        var a = stored.Activity;
        var owner = a.Kind == CaseActivityKind.OwnerChanged && a.Details is { } id ? names.GetValueOrDefault(id, id) : null;
        return new(stored.Id, a.Kind, a.At, a.By, names.GetValueOrDefault(a.By, a.By), a.Details, owner, a.FromStatus, a.ToStatus, a.Outcome);
    }

    /// <summary>The actors and owners a history names, for <see cref="ActorNames.ResolveAsync"/>.</summary>
    public static IEnumerable<string> Named(IEnumerable<StoredActivity> history) => history.SelectMany(s => s.Activity is { Kind: CaseActivityKind.OwnerChanged, Details: { } owner }
        ? [s.Activity.By, owner]
        : new[] { s.Activity.By });
}

public sealed record CaseDetailsResponse(CaseResponse Case, ContactResponse? Contact, IReadOnlyList<ActivityResponse> Activities)
{
    public static CaseDetailsResponse From(CaseDetails details, HolderResponse? holder, IReadOnlyDictionary<string, string> names) => new(
        CaseResponse.From(details.Case, holder),
        details.Contact is { } contact ? ContactResponse.From(contact) : null,
        details.Activities.Select(a => ActivityResponse.From(a, names)).ToArray());
}

public sealed record CaseSummaryResponse(
    long Id,
    long CampaignId,
    long ContactId,
    string ContactName,
    string Phone,
    CaseStatus Status,
    CasePriority Priority,
    long? OwnerAgentId,
    DateTimeOffset? NextContactAt,
    int Attempts,
    long? HolderAgentId,
    DateTimeOffset UpdatedAt,
    long Version,
    HolderResponse? Holder)
{
    /// <param name="holder">As in <see cref="CaseResponse.From"/>.</param>
    public static CaseSummaryResponse From(CaseSummary s, HolderResponse? holder = null)
    {
        holder ??= HolderResponse.Person(s.HolderAgentId);
        return new(
            s.CaseId, s.CampaignId, s.ContactId, s.ContactName, s.Phone, s.Status, s.Priority, s.OwnerAgentId,
            s.NextContactAt, s.Attempts, holder?.AgentId, s.UpdatedAt, s.Version, holder);
    }
}

public sealed record CasePageResponse(IReadOnlyList<CaseSummaryResponse> Items, long Total, int Page, int PageSize);

/// <summary>
/// PATCH /api/cases/{id}. Absent fields stay as they are (the note survives every change).
/// <see cref="OwnerAgentId"/>: absent keeps the owner, null clears it, a number sets it.
/// <see cref="Version"/>: only if the case is still at this version. <see cref="AgentId"/>: the agent saving
/// the card; refused when another agent holds the case.
/// </summary>
public sealed record CasePatchBody
{
    public CaseStatus? Status { get; init; }

    public DateTimeOffset? NextContactAt { get; init; }

    public string? AcquisitionStage { get; init; }

    public string? LeadSource { get; init; }

    public DateOnly? ExpectedCloseDate { get; init; }

    public string? ContractStage { get; init; }

    public string? ResignationReason { get; init; }

    public string? Note { get; init; }

    public CasePriority? Priority { get; init; }

    /// <summary>Absent (Undefined) keeps the owner, null clears it, a number sets it.</summary>
    public JsonElement OwnerAgentId { get; init; }

    public long? Version { get; init; }

    public long? AgentId { get; init; }

    public (bool Change, long? Owner) Owner()
    {
        switch (OwnerAgentId.ValueKind)
        {
            case JsonValueKind.Undefined:
                return (false, null);
            case JsonValueKind.Null:
                return (true, null);
            case JsonValueKind.Number when OwnerAgentId.TryGetInt64(out var id) && id > 0:
                return (true, id);
            default:
                throw ApiProblems.Invalid("ownerAgentId", "must be an agent id, or null to clear the owner");
        }
    }

    public CasePatch ToPatch(string by)
    {
        var (change, owner) = Owner();
        var form = new CaseForm(NextContactAt, AcquisitionStage, LeadSource, ExpectedCloseDate, ContractStage, ResignationReason, Note);
        return new CasePatch(Status, form, Priority, change, owner, Version, AgentId, by);
    }
}

/// <summary>One contact typed in by hand.</summary>
public sealed record ContactBody(
    string? Name = null,
    string? Phone = null,
    IReadOnlyList<string>? Phones = null,
    string? Email = null,
    string? Company = null,
    string? Address = null,
    string? TimeZone = null,
    string? Country = null,
    string? DefaultCountry = null,
    IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>Cases from a contact group, a list of contacts, or one contact typed in; exactly one of the three.</summary>
public sealed record CreateCasesBody(
    long? ContactGroupId = null,
    IReadOnlyList<long>? ContactIds = null,
    ContactBody? Contact = null,
    CasePriority? Priority = null,
    long? OwnerAgentId = null);

public sealed record CasesCreatedResponse(int Created, int Skipped, IReadOnlyList<long> CaseIds);
