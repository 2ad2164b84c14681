using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Routing;

/// <summary>Tells routing whether an owner is around to honour their own callbacks.</summary>
public interface IOwnerPresence
{
    /// <summary>Since when the agent has been away (offline or on break); null while they are working.</summary>
    DateTimeOffset? AwaySince(string agentId);
}

/// <summary>The do-not-call list, by E.164 number.</summary>
public interface IDoNotCallList
{
    bool Contains(string phone);
}

/// <summary>
/// The campaign-wide facts routing consults besides the cases. Long-lived: build one per campaign
/// and replace it when the settings change, so Next case allocates nothing.
/// </summary>
public sealed record NextCaseContext(CampaignSettings Settings, IOwnerPresence Owners, IDoNotCallList DoNotCall);

/// <summary>A plain set of away-since times (tests, and grains that keep presence in a dictionary).</summary>
public sealed class OwnerPresenceTable : IOwnerPresence
{
    private readonly Dictionary<string, DateTimeOffset> _awaySince = new(StringComparer.Ordinal);

    public DateTimeOffset? AwaySince(string agentId) =>
        _awaySince.TryGetValue(agentId, out var since) ? since : null;

    public void MarkAway(string agentId, DateTimeOffset since) => _awaySince[agentId] = since;

    public void MarkPresent(string agentId) => _awaySince.Remove(agentId);
}

/// <summary>A do-not-call list held in memory.</summary>
public sealed class DoNotCallSet : IDoNotCallList
{
    private readonly HashSet<string> _phones = new(StringComparer.Ordinal);

    public DoNotCallSet(IEnumerable<string>? phones = null)
    {
        if (phones is not null)
        {
            _phones.UnionWith(phones);
        }
    }

    public int Count => _phones.Count;

    public bool Contains(string phone) => _phones.Contains(phone);

    public bool Add(string phone) => _phones.Add(phone);

    public bool Remove(string phone) => _phones.Remove(phone);
}
