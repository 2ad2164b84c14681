using System.Globalization;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth.Users;

namespace DialerCluster.Host.Api;

/// <summary>
/// Who did something, as a person reads it. History lines name their actor as the store keeps it: an agent id
/// ("7"), a user name ("bruno"), or "system" for the dialer. Here an agent id becomes the agent's name, a user linked
/// to an agent becomes that agent's name, and the dialer (the system, or one of its lines) becomes <see cref="Dialer"/>.
/// </summary>
internal static class ActorNames
{
    public const string Dialer = "Dialer";

    public static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(
        IEnumerable<string> actors, IAgentStore agents, IUserStore? users, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var actor in actors.Distinct(StringComparer.Ordinal))
        {
            names[actor] = await NameOfAsync(actor, agents, users, cancellationToken);
        }

        return names;
    }

    /// <summary>The agent's name, or <see cref="Dialer"/> for the dialer's own line records; null for an unknown id.</summary>
    public static async Task<string?> AgentNameAsync(long agentId, IAgentStore agents, CancellationToken cancellationToken) =>
        await agents.GetAsync(agentId, cancellationToken) is { } agent ? (DialerLines.IsLine(agent.Name) ? Dialer : agent.Name) : null;

    private static async Task<string> NameOfAsync(string actor, IAgentStore agents, IUserStore? users, CancellationToken cancellationToken)
    {
        if (actor == CaseActivity.System)
        {
            return Dialer;
        }

        if (long.TryParse(actor, NumberStyles.None, CultureInfo.InvariantCulture, out var agentId))
        {
            return await AgentNameAsync(agentId, agents, cancellationToken) ?? $"agent {actor}";
        }

        if (users is not null && await users.FindByNameKeyAsync(UserNames.Key(actor), cancellationToken) is { AgentId: { } linked }
            && await AgentNameAsync(linked, agents, cancellationToken) is { } name)
        {
            return name;
        }

        return actor;
    }
}
