using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Stores;

// Rows as the grains see them. Ids are the database's bigint ids; agent ids travel as strings in the
// routing domain (CaseCandidate.OwnerAgentId) and are their decimal form.

[GenerateSerializer]
[Immutable]
public sealed record CampaignRecord(long Id, CampaignSettings Settings, long Version, DateTimeOffset CreatedAt);

[GenerateSerializer]
[Immutable]
public sealed record AgentRecord(long Id, string Name, DateTimeOffset CreatedAt);

[GenerateSerializer]
[Immutable]
public sealed record ContactRecord(
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
    public string PrimaryPhone => Phones[0];
}

/// <summary>What the campaign queue needs of a case to rebuild its index (contact phone and zone joined in).</summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseRouting(
    long CaseId,
    string Phone,
    string? TimeZone,
    DateTimeOffset CreatedAt,
    CaseStatus Status,
    CasePriority Priority,
    long? OwnerAgentId,
    DateTimeOffset? NextContactAt,
    DateTimeOffset? NextAttemptAt,
    int Attempts,
    long? HolderAgentId,
    DateTimeOffset? HeldAt);

[GenerateSerializer]
[Immutable]
public sealed record CaseRecord(
    long Id,
    long CampaignId,
    long ContactId,
    CaseStatus Status,
    CasePriority Priority,
    long? OwnerAgentId,
    CaseForm Form,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    long? HolderAgentId,
    DateTimeOffset? HeldAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>
/// A case as its hold left it (holder, held time and version already the new ones), with its contact, both read
/// inside the hold's own transaction: what Next case offers, without reading the case again.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record CaseHold(CaseRecord Case, ContactRecord Contact);

/// <summary>A status, form, priority or owner change, with the activities it produces; written version-checked.</summary>
public sealed record CaseChange(
    long CaseId,
    CaseStatus Status,
    CasePriority Priority,
    long? OwnerAgentId,
    CaseForm Form,
    IReadOnlyList<CaseActivity> Activities,
    DateTimeOffset At);

/// <summary>
/// An agent lets go of a held case: the hold is cleared only if that agent still holds it and the campaign's
/// activation still owns the campaign (<paramref name="Epoch"/>); attempts and the next retry time are set; the
/// activity (a call attempt with its outcome, or a hold timeout) is appended.
/// </summary>
public sealed record CaseRelease(
    long CaseId,
    long AgentId,
    DateTimeOffset At,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    CaseActivity? Activity,
    CampaignEpoch Epoch);

/// <summary>
/// The fence of one campaign activation. Orleans can briefly run two activations of a campaign (a paused node that
/// resumes beside its replacement); each activation claims a new epoch before it reads its queue, and every hold and
/// release it writes carries its epoch, which the store checks against the case's campaign in the same statement: a
/// stale activation's writes, hence its dials, are refused. <see cref="Unclaimed"/> is the epoch of a campaign no
/// activation has claimed yet.
/// </summary>
public readonly record struct CampaignEpoch(long Value)
{
    public static readonly CampaignEpoch Unclaimed = new(0);
}

public sealed record CasesCreated(IReadOnlyList<CaseRouting> Created, int Skipped);

public sealed record CaseQuery(
    long CampaignId,
    CaseStatus? Status = null,
    long? OwnerAgentId = null,
    DateTimeOffset? UpdatedFrom = null,
    DateTimeOffset? UpdatedTo = null,
    int Page = 1,
    int PageSize = 50);

public sealed record CaseSummary(
    long CaseId,
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
    long Version);

public sealed record CasePage(IReadOnlyList<CaseSummary> Items, long Total, int Page, int PageSize);

[GenerateSerializer]
[Immutable]
public sealed record StoredActivity(long Id, long CaseId, CaseActivity Activity)
{
    /// <summary>The case's version this line's change produced, for a saved change (PATCH); null for holds, releases and calls.</summary>
    [Id(3)]
    public long? CaseVersion { get; init; }
}

public sealed record CallStart(long CaseId, long CampaignId, long? AgentId, string Phone, DateTimeOffset StartedAt);

public sealed record CallEnd(long CallId, long? AgentId, DateTimeOffset? AnsweredAt, DateTimeOffset EndedAt, CallOutcome Outcome, bool Abandoned);

/// <summary>A number on the do-not-call list.</summary>
public sealed record DoNotCallEntry(string Phone, string? Reason, DateTimeOffset AddedAt);

public sealed record DoNotCallPage(IReadOnlyList<DoNotCallEntry> Items, long Total, int Page, int PageSize);

/// <summary>
/// Which booked callbacks to list. <see cref="VisibleTo"/>: only an agent's own, that is the cases it owns, and the
/// unowned ones it booked (its latest move into in acquisition or offered; the history names it by agent id or by a
/// user name linked to it). <see cref="OwnerAgentId"/> and <see cref="Unowned"/> filter by owner.
/// </summary>
public sealed record ReminderQuery(
    long? CampaignId = null,
    long? OwnerAgentId = null,
    bool Unowned = false,
    long? VisibleTo = null,
    int Page = 1,
    int PageSize = 100)
{
    public const int MaxPageSize = 500;
}

/// <summary>A booked callback, with who owns the case and who booked it (an agent id when the booker is an agent).</summary>
public sealed record Reminder(
    long CaseId,
    long CampaignId,
    string CampaignName,
    long ContactId,
    string ContactName,
    string Phone,
    CaseStatus Status,
    CasePriority Priority,
    long? OwnerAgentId,
    string? OwnerName,
    string? BookedBy,
    long? BookedByAgentId,
    DateTimeOffset NextContactAt,
    int Attempts,
    long? HolderAgentId,
    DateTimeOffset UpdatedAt,
    long Version);

public sealed record ReminderPage(IReadOnlyList<Reminder> Items, long Total, int Page, int PageSize);
