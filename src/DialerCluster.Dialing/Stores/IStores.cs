using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Stores;

// The storage seam the grains and the API use. Two real implementations exist: SQLite (embedded
// default) and PostgreSQL. Version conflicts surface as Orleans.Storage.InconsistentStateException.

public interface ICampaignStore
{
    Task<CampaignRecord> CreateAsync(CampaignSettings settings, CancellationToken cancellationToken);

    Task<CampaignRecord?> GetAsync(long campaignId, CancellationToken cancellationToken);

    Task<IReadOnlyList<CampaignRecord>> ListAsync(CancellationToken cancellationToken);

    /// <returns>The new version. Throws InconsistentStateException when <paramref name="expectedVersion"/> is stale.</returns>
    Task<long> UpdateAsync(long campaignId, CampaignSettings settings, long expectedVersion, CancellationToken cancellationToken);

    /// <returns>False when the assignment already existed.</returns>
    Task<bool> AssignAgentAsync(long campaignId, long agentId, CancellationToken cancellationToken);

    /// <returns>False when there was no such assignment.</returns>
    Task<bool> UnassignAgentAsync(long campaignId, long agentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<long>> AgentsOfAsync(long campaignId, CancellationToken cancellationToken);

    Task<IReadOnlyList<long>> CampaignsOfAgentAsync(long agentId, CancellationToken cancellationToken);

    /// <summary>
    /// A campaign activation claims the campaign before it reads its queue: the returned epoch is higher than any
    /// claimed before, and from its commit on, holds and releases carrying an older epoch are refused.
    /// </summary>
    Task<CampaignEpoch> ClaimEpochAsync(long campaignId, CancellationToken cancellationToken);
}

public interface IAgentStore
{
    Task<AgentRecord> CreateAsync(string name, CancellationToken cancellationToken);

    Task<AgentRecord?> GetAsync(long agentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Appends to the agent state log (time in state, reports).</summary>
    Task AppendStateAsync(long agentId, AgentPresence presence, CancellationToken cancellationToken);

    /// <summary>The latest logged presence, so an agent grain resumes its state after a restart.</summary>
    Task<AgentPresence?> LastStateAsync(long agentId, CancellationToken cancellationToken);
}

public interface IContactStore
{
    /// <summary>Which of these E.164 numbers already belong to a contact (checked in batches; 100,000 at a time is normal).</summary>
    Task<IReadOnlySet<string>> ExistingPhonesAsync(IReadOnlyCollection<string> phones, CancellationToken cancellationToken);

    /// <summary>Creates the group and all its contacts in ONE transaction: all or nothing.</summary>
    /// <returns>The group id.</returns>
    Task<long> ImportGroupAsync(string name, IReadOnlyList<ContactDraft> contacts, int rowCount, int rejectedCount, CancellationToken cancellationToken);

    /// <summary>A contact added by hand: an existing contact with the same primary phone is reused.</summary>
    Task<long> FindOrAddAsync(ContactDraft contact, CancellationToken cancellationToken);

    Task<ContactRecord?> GetAsync(long contactId, CancellationToken cancellationToken);

    Task<bool> GroupExistsAsync(long groupId, CancellationToken cancellationToken);

    Task<IReadOnlyList<long>> ContactIdsInGroupAsync(long groupId, CancellationToken cancellationToken);
}

public interface ICaseStore
{
    /// <summary>Every case of the campaign that is not won or resigned, streamed: the campaign queue's rebuild.</summary>
    IAsyncEnumerable<CaseRouting> OpenCasesAsync(long campaignId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<CaseStatus, int>> CountByStatusAsync(long campaignId, CancellationToken cancellationToken);

    /// <summary>Creates a case per contact; contacts already in the campaign or unknown are skipped.</summary>
    Task<CasesCreated> CreateCasesAsync(long campaignId, IReadOnlyList<long> contactIds, CasePriority priority, long? ownerAgentId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Durably records that the agent holds the case, before anything is sent or dialed. Succeeds only if
    /// nobody holds it, it is not terminal, the agent holds nothing else, and <paramref name="epoch"/> is still the
    /// epoch of the case's campaign. Concurrent calls may be committed together in one transaction (group commit);
    /// each returns only after its own commit. The held case and its contact as of that commit; null when refused.
    /// </summary>
    Task<CaseHold?> TryHoldAsync(long caseId, long agentId, DateTimeOffset at, CampaignEpoch epoch, CancellationToken cancellationToken);

    /// <summary>
    /// Clears the hold if the agent still holds it and the release's epoch is still the campaign's, sets attempts and
    /// retry time, appends the activity. Group-committed like holds.
    /// </summary>
    Task<bool> ReleaseAsync(CaseRelease release, CancellationToken cancellationToken);

    Task<CaseRecord?> GetAsync(long caseId, CancellationToken cancellationToken);

    /// <returns>The new version. Throws InconsistentStateException when <paramref name="expectedVersion"/> is stale.</returns>
    Task<long> SaveAsync(CaseChange change, long expectedVersion, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredActivity>> ActivitiesAsync(long caseId, CancellationToken cancellationToken);

    Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Booked callbacks: cases in acquisition or offered with a next-contact time, earliest first, whether or not an
    /// owner is set; see <see cref="ReminderQuery"/> for whose.
    /// </summary>
    Task<ReminderPage> RemindersAsync(ReminderQuery query, CancellationToken cancellationToken);
}

public interface IDoNotCallStore
{
    /// <returns>False when the number was already listed.</returns>
    Task<bool> AddAsync(string phone, string? reason, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string phone, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> AllAsync(CancellationToken cancellationToken);

    /// <summary>Adds every number in ONE transaction (all or nothing); numbers already listed keep their entry.</summary>
    /// <returns>How many were new.</returns>
    Task<int> AddManyAsync(IReadOnlyList<DoNotCallEntry> entries, CancellationToken cancellationToken);

    /// <summary>Entries whose number or reason contains <paramref name="text"/> (any, when null), by number.</summary>
    Task<DoNotCallPage> SearchAsync(string? text, int page, int pageSize, CancellationToken cancellationToken);
}

public interface ICallStore
{
    Task<long> StartAsync(CallStart call, CancellationToken cancellationToken);

    Task EndAsync(CallEnd call, CancellationToken cancellationToken);

    /// <summary>
    /// The cases of a campaign with a call started since a moment and never ended: calls that an activation which died,
    /// or was replaced while it still ran, may have left up.
    /// </summary>
    Task<IReadOnlyList<long>> CasesWithOpenCallsAsync(long campaignId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Answered and abandoned calls of a campaign since a moment (the abandon-rate window).</summary>
    Task<(int Answered, int Abandoned)> AbandonCountsAsync(long campaignId, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>A unique key (user name, phone) is already taken.</summary>
public sealed class DuplicateKeyException(string field, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Field { get; } = field;
}
