using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Stores;
using DialerCluster.Dialing.Telephony;
using Orleans.Concurrency;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// One campaign (keyed by the campaign's id): its settings, assigned agents and the in-memory queue over its open
/// cases, answering Next case for its agents; in the dialing modes it also paces and places the calls.
/// </summary>
/// <remarks>
/// The Next case path interleaves (<see cref="AlwaysInterleaveAttribute"/>): <see cref="TakeNextAsync"/> reserves the
/// best case in memory before its first await, then awaits the durable hold, during which other agents' requests
/// run, so concurrent holds are group-committed by the store while the campaign keeps serving at memory speed.
/// </remarks>
public interface ICampaignGrain : IGrainWithIntegerKey
{
    /// <summary>Settings, version, queue counts and assigned agents. 404 for an unknown id.</summary>
    [ReadOnly]
    Task<CampaignView> ViewAsync();

    /// <summary>The campaign's dial mode: the first Next case of an agent's activation asks it (see <see cref="CaseTake.Dials"/>).</summary>
    [AlwaysInterleave]
    Task<DialMode> DialModeAsync();

    /// <summary>The case the agent holds here, if any.</summary>
    [AlwaysInterleave]
    Task<HeldCase?> HeldByAsync(long agentId);

    /// <summary>
    /// Next case for an assigned agent: reserves the best case in memory, then holds it durably.
    /// <see cref="CaseTake.NoCase"/> when nothing is eligible (and why); <see cref="CaseTake.Hold"/> null when the store
    /// refused the hold (another holder, closed meanwhile); <see cref="CaseTake.Dialing"/>, taking nothing, in a dialing mode.
    /// </summary>
    [AlwaysInterleave]
    Task<CaseTake> TakeNextAsync(long agentId);

    /// <summary>The store refused an agent's hold: lets go of the reservation and takes the stored case (if read) as truth.</summary>
    [AlwaysInterleave]
    Task ReleaseHoldAsync(long agentId, long caseId, CaseRecord? fresh);

    /// <summary>
    /// The agent is done with their case after a call attempt: attempts + 1, retry time per the campaign, back into the
    /// queue, released durably. Null when the agent holds nothing here (the hold lapsed).
    /// </summary>
    [AlwaysInterleave]
    Task<CaseCompletion?> CompleteAsync(long agentId, CallOutcome outcome);

    /// <summary>A case change (PATCH): the case grain checks and saves it, then the queue takes the new routing.</summary>
    Task<CaseRecord> ChangeCaseAsync(long caseId, CasePatch patch);

    /// <summary>Cases just created in the store join the queue (those already loaded are skipped).</summary>
    Task CasesCreatedAsync([Immutable] IReadOnlyList<CaseRouting> created);

    /// <summary>Assigns an agent (stored first). False when they were assigned already.</summary>
    Task<bool> AssignAgentAsync(long agentId);

    /// <summary>Unassigns an agent; a case they hold stays theirs to complete. False when they were not assigned.</summary>
    Task<bool> UnassignAgentAsync(long agentId);

    /// <summary>Changes the settings, version-checked: 409 when stale, 422 listing every invalid field.</summary>
    Task<CampaignRecord> ChangeSettingsAsync(CampaignSettings settings, long expectedVersion);

    /// <summary>From an agent: their presence changed (owner fallback and pacing need it).</summary>
    [OneWay]
    Task PresenceChanged(long agentId, AgentPresence? presence);

    /// <summary>
    /// A ready agent starts waiting for a dialed lead: true. False, waiting for nothing, in preview mode (the agent takes
    /// cases with Next case); 409 in a dialing mode without a dialer.
    /// </summary>
    Task<bool> WaitForLeadAsync(long agentId);

    /// <summary>
    /// Waits up to <paramref name="wait"/> for the lead connected to a waiting agent; an empty poll when none came
    /// meanwhile, and <see cref="LeadPoll.Ended"/> when the agent no longer waits here. The long poll of Next case: it
    /// interleaves, so a waiting agent holds no turn of the campaign.
    /// </summary>
    [AlwaysInterleave]
    Task<LeadPoll> AwaitLeadAsync(long agentId, TimeSpan wait);

    /// <summary>The agent stops waiting (the long poll ended): the lead if one was connected meanwhile, else why none came.</summary>
    [AlwaysInterleave]
    Task<LeadPoll> StopWaitingAsync(long agentId);

    /// <summary>A carrier event of a call this campaign placed.</summary>
    [OneWay]
    Task OnCallEvent(CallEvent callEvent);
}

/// <summary>
/// The campaign's own turns: work that its dialing started outside a turn comes back through these, so that it runs
/// as a turn of its own and never in the middle of another. Also the timers' work, which tests run on demand.
/// </summary>
internal interface ICampaignTurns : IGrainWithIntegerKey
{
    [OneWay]
    Task DialRecorded(long dialId, long callRecordId);

    [OneWay]
    Task DialNotStarted(long dialId, long? callRecordId, bool held);

    /// <summary>One pacing step (what the pacing timer runs).</summary>
    Task PaceAsync();

    /// <summary>Holds past the hold timeout go back to the queue (what the hold timer runs).</summary>
    Task ExpireHoldsAsync();

    /// <summary>Whether the pacing timer runs.</summary>
    Task<bool> IsPacingAsync();
}
