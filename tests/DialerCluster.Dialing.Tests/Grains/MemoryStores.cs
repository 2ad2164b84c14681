using System.Runtime.CompilerServices;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;
using Orleans.Storage;

namespace DialerCluster.Dialing.Tests.Grains;

/// <summary>
/// Small in-memory stand-ins for the store interfaces, for grain unit tests. One lock over everything;
/// holds and releases yield first, as a real commit would, so callers cannot rely on them completing inline.
/// Holds and releases raise the case version (the strictest reading of the contract).
/// </summary>
internal sealed class MemoryStores : ICampaignStore, IAgentStore, IContactStore, ICaseStore, IDoNotCallStore
{
    private readonly object _gate = new();
    private readonly Dictionary<long, CampaignRecord> _campaigns = [];
    private readonly HashSet<(long Campaign, long Agent)> _assignments = [];
    private readonly Dictionary<long, AgentRecord> _agents = [];
    private readonly Dictionary<long, List<AgentPresence>> _agentLog = [];
    private readonly Dictionary<long, ContactRecord> _contacts = [];
    private readonly Dictionary<long, CaseRecord> _cases = [];
    private readonly Dictionary<long, List<StoredActivity>> _activities = [];
    private readonly Dictionary<string, string?> _dnc = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _epochs = [];
    // Each instance numbers its records in a block of its own: tests share a silo, and an id used in one test's world
    // must never reach a grain activated for another's.
    private static long s_lastBlock;
    private long _nextId = Interlocked.Add(ref s_lastBlock, 1_000_000);

    public DateTimeOffset Now { get; set; } = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public int HoldCalls;
    public int ReleaseCalls;

    /// <summary>Makes the next holds fail as if another node held the case.</summary>
    public int RefuseNextHolds;

    // ---- test set-up helpers

    public long AddCase(long campaignId, string phone, CasePriority priority = CasePriority.Low, long? owner = null, DateTimeOffset? createdAt = null, string? timeZone = "Europe/Berlin")
    {
        lock (_gate)
        {
            var contactId = ++_nextId;
            _contacts[contactId] = new ContactRecord(contactId, null, $"Contact {contactId}", [phone], null, null, null, timeZone, null, new Dictionary<string, string>());
            var caseId = ++_nextId;
            var at = createdAt ?? Now.AddMinutes(-caseId);
            _cases[caseId] = new CaseRecord(caseId, campaignId, contactId, CaseStatus.New, priority, owner, CaseForm.Empty, 0, null, null, null, at, at, 1);
            return caseId;
        }
    }

    public CaseRouting Routing(long caseId)
    {
        lock (_gate)
        {
            var c = _cases[caseId];
            var contact = _contacts[c.ContactId];
            return new CaseRouting(c.Id, contact.PrimaryPhone, contact.TimeZone, c.CreatedAt, c.Status, c.Priority, c.OwnerAgentId,
                c.Form.NextContactAt, c.NextAttemptAt, c.Attempts, c.HolderAgentId, c.HeldAt);
        }
    }

    public CaseRecord Case(long caseId)
    {
        lock (_gate)
        {
            return _cases[caseId];
        }
    }

    public void Update(CaseRecord record)
    {
        lock (_gate)
        {
            _cases[record.Id] = record with { Version = record.Version + 1 };
        }
    }

    public IReadOnlyList<StoredActivity> Activities(long caseId)
    {
        lock (_gate)
        {
            return _activities.TryGetValue(caseId, out var list) ? list.ToArray() : [];
        }
    }

    public IReadOnlyList<AgentPresence> StateLog(long agentId)
    {
        lock (_gate)
        {
            return _agentLog.TryGetValue(agentId, out var list) ? list.ToArray() : [];
        }
    }

    // ---- ICampaignStore

    public Task<CampaignRecord> CreateAsync(CampaignSettings settings, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var record = new CampaignRecord(++_nextId, settings, 1, Now);
            _campaigns[record.Id] = record;
            return Task.FromResult(record);
        }
    }

    Task<CampaignRecord?> ICampaignStore.GetAsync(long campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_campaigns.GetValueOrDefault(campaignId));
        }
    }

    Task<IReadOnlyList<CampaignRecord>> ICampaignStore.ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CampaignRecord>>(_campaigns.Values.ToArray());
        }
    }

    public Task<long> UpdateAsync(long campaignId, CampaignSettings settings, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _campaigns[campaignId];
            if (current.Version != expectedVersion)
            {
                throw new InconsistentStateException("stale campaign", current.Version.ToString(), expectedVersion.ToString());
            }

            _campaigns[campaignId] = current with { Settings = settings, Version = current.Version + 1 };
            return Task.FromResult(current.Version + 1);
        }
    }

    public Task<bool> AssignAgentAsync(long campaignId, long agentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_assignments.Add((campaignId, agentId)));
        }
    }

    public Task<bool> UnassignAgentAsync(long campaignId, long agentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_assignments.Remove((campaignId, agentId)));
        }
    }

    public Task<IReadOnlyList<long>> AgentsOfAsync(long campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<long>>(_assignments.Where(a => a.Campaign == campaignId).Select(a => a.Agent).ToArray());
        }
    }

    public Task<IReadOnlyList<long>> CampaignsOfAgentAsync(long agentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<long>>(_assignments.Where(a => a.Agent == agentId).Select(a => a.Campaign).ToArray());
        }
    }

    public Task<CampaignEpoch> ClaimEpochAsync(long campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var epoch = _epochs.GetValueOrDefault(campaignId) + 1;
            _epochs[campaignId] = epoch;
            return Task.FromResult(new CampaignEpoch(epoch));
        }
    }

    public CampaignEpoch EpochOf(long campaignId)
    {
        lock (_gate)
        {
            return new CampaignEpoch(_epochs.GetValueOrDefault(campaignId));
        }
    }

    /// <summary>Holds and releases of an activation that no longer owns the case's campaign are refused (the store's fence).</summary>
    private bool IsStale(CaseRecord record, CampaignEpoch epoch) => _epochs.GetValueOrDefault(record.CampaignId) != epoch.Value;

    // ---- IAgentStore

    /// <summary>When set, creating an agent row (a dialer line's too) throws it, as a database that refuses writes would.</summary>
    public Exception? AgentCreationFailure { get; set; }

    public Task<AgentRecord> CreateAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (AgentCreationFailure is { } failure)
            {
                return Task.FromException<AgentRecord>(failure);
            }

            var record = new AgentRecord(++_nextId, name, Now);
            _agents[record.Id] = record;
            return Task.FromResult(record);
        }
    }

    Task<AgentRecord?> IAgentStore.GetAsync(long agentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_agents.GetValueOrDefault(agentId));
        }
    }

    Task<IReadOnlyList<AgentRecord>> IAgentStore.ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AgentRecord>>(_agents.Values.ToArray());
        }
    }

    public Task AppendStateAsync(long agentId, AgentPresence presence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_agentLog.TryGetValue(agentId, out var log))
            {
                _agentLog[agentId] = log = [];
            }

            log.Add(presence);
            return Task.CompletedTask;
        }
    }

    public Task<AgentPresence?> LastStateAsync(long agentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_agentLog.TryGetValue(agentId, out var log) && log.Count > 0 ? log[^1] : null);
        }
    }

    // ---- IContactStore

    public Task<IReadOnlySet<string>> ExistingPhonesAsync(IReadOnlyCollection<string> phones, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var known = _contacts.Values.SelectMany(c => c.Phones).ToHashSet(StringComparer.Ordinal);
            return Task.FromResult<IReadOnlySet<string>>(phones.Where(known.Contains).ToHashSet(StringComparer.Ordinal));
        }
    }

    public Task<long> ImportGroupAsync(string name, IReadOnlyList<ContactDraft> contacts, int rowCount, int rejectedCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var groupId = ++_nextId;
            foreach (var draft in contacts)
            {
                var id = ++_nextId;
                _contacts[id] = new ContactRecord(id, groupId, draft.Name ?? "", draft.Phones, draft.Email, draft.Company, draft.Address, draft.TimeZone, draft.Country, draft.Attributes);
            }

            return Task.FromResult(groupId);
        }
    }

    public Task<long> FindOrAddAsync(ContactDraft contact, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var existing = _contacts.Values.FirstOrDefault(c => c.PrimaryPhone == contact.PrimaryPhone);
            if (existing is not null)
            {
                return Task.FromResult(existing.Id);
            }

            var id = ++_nextId;
            _contacts[id] = new ContactRecord(id, null, contact.Name ?? "", contact.Phones, contact.Email, contact.Company, contact.Address, contact.TimeZone, contact.Country, contact.Attributes);
            return Task.FromResult(id);
        }
    }

    Task<ContactRecord?> IContactStore.GetAsync(long contactId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_contacts.GetValueOrDefault(contactId));
        }
    }

    public Task<bool> GroupExistsAsync(long groupId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_contacts.Values.Any(c => c.GroupId == groupId));
        }
    }

    public Task<IReadOnlyList<long>> ContactIdsInGroupAsync(long groupId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<long>>(_contacts.Values.Where(c => c.GroupId == groupId).Select(c => c.Id).ToArray());
        }
    }

    // ---- ICaseStore

    public async IAsyncEnumerable<CaseRouting> OpenCasesAsync(long campaignId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CaseRouting[] rows;
        lock (_gate)
        {
            rows = _cases.Values
                .Where(c => c.CampaignId == campaignId && !c.Status.IsTerminal())
                .Select(c =>
                {
                    var contact = _contacts[c.ContactId];
                    return new CaseRouting(c.Id, contact.PrimaryPhone, contact.TimeZone, c.CreatedAt, c.Status, c.Priority, c.OwnerAgentId,
                        c.Form.NextContactAt, c.NextAttemptAt, c.Attempts, c.HolderAgentId, c.HeldAt);
                })
                .ToArray();
        }

        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    public Task<IReadOnlyDictionary<CaseStatus, int>> CountByStatusAsync(long campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<CaseStatus, int>>(_cases.Values.Where(c => c.CampaignId == campaignId)
                .GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count()));
        }
    }

    public Task<CasesCreated> CreateCasesAsync(long campaignId, IReadOnlyList<long> contactIds, CasePriority priority, long? ownerAgentId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var created = new List<CaseRouting>();
            var skipped = 0;
            foreach (var contactId in contactIds)
            {
                if (!_contacts.TryGetValue(contactId, out var contact) || _cases.Values.Any(c => c.CampaignId == campaignId && c.ContactId == contactId))
                {
                    skipped++;
                    continue;
                }

                var id = ++_nextId;
                _cases[id] = new CaseRecord(id, campaignId, contactId, CaseStatus.New, priority, ownerAgentId, CaseForm.Empty, 0, null, null, null, at, at, 1);
                created.Add(new CaseRouting(id, contact.PrimaryPhone, contact.TimeZone, at, CaseStatus.New, priority, ownerAgentId, null, null, 0, null, null));
            }

            return Task.FromResult(new CasesCreated(created, skipped));
        }
    }

    public async Task<CaseHold?> TryHoldAsync(long caseId, long agentId, DateTimeOffset at, CampaignEpoch epoch, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            HoldCalls++;
            if (RefuseNextHolds > 0)
            {
                RefuseNextHolds--;
                return null;
            }

            if (!_cases.TryGetValue(caseId, out var record) || record.HolderAgentId is not null || record.Status.IsTerminal()
                || IsStale(record, epoch) || _cases.Values.Any(c => c.HolderAgentId == agentId))
            {
                return null;
            }

            var held = record with { HolderAgentId = agentId, HeldAt = at, Version = record.Version + 1 };
            _cases[caseId] = held;
            return new CaseHold(held, _contacts[held.ContactId]);
        }
    }

    public async Task<bool> ReleaseAsync(CaseRelease release, CancellationToken cancellationToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            ReleaseCalls++;
            if (!_cases.TryGetValue(release.CaseId, out var record) || record.HolderAgentId != release.AgentId || IsStale(record, release.Epoch))
            {
                return false;
            }

            _cases[release.CaseId] = record with
            {
                HolderAgentId = null,
                HeldAt = null,
                Attempts = release.Attempts,
                NextAttemptAt = release.NextAttemptAt,
                Version = record.Version + 1,
            };
            if (release.Activity is { } activity)
            {
                AddActivity(release.CaseId, activity);
            }

            return true;
        }
    }

    Task<CaseRecord?> ICaseStore.GetAsync(long caseId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_cases.GetValueOrDefault(caseId));
        }
    }

    public Task<long> SaveAsync(CaseChange change, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var record = _cases[change.CaseId];
            if (record.Version != expectedVersion)
            {
                throw new InconsistentStateException("stale case", record.Version.ToString(), expectedVersion.ToString());
            }

            _cases[change.CaseId] = record with
            {
                Status = change.Status,
                Priority = change.Priority,
                OwnerAgentId = change.OwnerAgentId,
                Form = change.Form,
                UpdatedAt = change.At,
                Version = record.Version + 1,
            };
            foreach (var activity in change.Activities)
            {
                AddActivity(change.CaseId, activity, record.Version + 1);
            }

            return Task.FromResult(record.Version + 1);
        }
    }

    public Task<IReadOnlyList<StoredActivity>> ActivitiesAsync(long caseId, CancellationToken cancellationToken) =>
        Task.FromResult(Activities(caseId));

    public Task<CasePage> ListAsync(CaseQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not needed by the grain tests");

    public Task<ReminderPage> RemindersAsync(ReminderQuery query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not needed by the grain tests");

    // ---- IDoNotCallStore

    public Task<int> AddManyAsync(IReadOnlyList<DoNotCallEntry> entries, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(entries.Count(e => _dnc.TryAdd(e.Phone, e.Reason)));
        }
    }

    public Task<DoNotCallPage> SearchAsync(string? text, int page, int pageSize, CancellationToken cancellationToken) =>
        throw new NotSupportedException("not needed by the grain tests");

    public Task<bool> AddAsync(string phone, string? reason, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_dnc.TryAdd(phone, reason));
        }
    }

    public Task<bool> RemoveAsync(string phone, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_dnc.Remove(phone));
        }
    }

    public Task<IReadOnlyList<string>> AllAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>(_dnc.Keys.ToArray());
        }
    }

    private void AddActivity(long caseId, CaseActivity activity, long? caseVersion = null)
    {
        if (!_activities.TryGetValue(caseId, out var list))
        {
            _activities[caseId] = list = [];
        }

        list.Add(new StoredActivity(++_nextId, caseId, activity) { CaseVersion = caseVersion });
    }
}
