using System.Collections.Concurrent;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

/// <summary>Whether a case is held by the dialer (one of its lines, while the call rings) or by a person.</summary>
public sealed record HolderResponse(string Kind, long? AgentId)
{
    public const string Agent = "agent";
    public const string Dialer = "dialer";

    /// <summary>The holder when nothing says it is the dialer: the agent, or nobody.</summary>
    public static HolderResponse? Person(long? agentId) => agentId is { } agent ? new HolderResponse(Agent, agent) : null;
}

/// <summary>
/// Which agent records are the dialer's own lines: they hold a case while it rings, and GET /api/agents leaves them out,
/// so a case shows "held by the dialer" instead of an id nobody can look up. Remembered per id (a line never becomes a
/// person, nor a person a line), so a page of cases costs a query per holder once.
/// </summary>
internal sealed class CaseHolders(IAgentStore agents)
{
    private readonly ConcurrentDictionary<long, bool> _known = new();

    public async ValueTask<HolderResponse?> HolderAsync(long? agentId, CancellationToken cancellationToken)
    {
        if (agentId is not { } id)
        {
            return null;
        }

        if (!_known.TryGetValue(id, out var line))
        {
            var agent = await agents.GetAsync(id, cancellationToken);
            line = agent is not null && DialerLines.IsLine(agent.Name);
            if (agent is not null)
            {
                _known[id] = line;
            }
        }

        return line ? new HolderResponse(HolderResponse.Dialer, null) : HolderResponse.Person(id);
    }
}
