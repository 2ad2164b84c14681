using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Agents;

/// <summary>
/// An agent's current state, since when, and (for a break) why. Immutable: <see cref="Enter"/> gives the next one.
/// </summary>
[GenerateSerializer]
[Immutable]
public sealed record AgentPresence(AgentState State, DateTimeOffset Since, string? Reason = null)
{
    public const int ReasonMaxLength = 200;

    public static AgentPresence OfflineSince(DateTimeOffset since) => new(AgentState.Offline, since);

    /// <summary>Never negative, even when clocks of two nodes disagree slightly.</summary>
    public TimeSpan TimeInState(DateTimeOffset now) => now > Since ? now - Since : TimeSpan.Zero;

    /// <summary>
    /// Moves to <paramref name="next"/>. A break needs a reason (kept only for breaks). Entering the state the
    /// agent is already in changes nothing and keeps <see cref="Since"/> (a repeated PUT is harmless), except a
    /// break with a new reason, which starts a new break.
    /// </summary>
    public AgentTransition Enter(AgentState next, DateTimeOffset now, string? reason = null)
    {
        var errors = new List<FieldError>(2);
        if (!Enum.IsDefined(next))
        {
            errors.Add(new("status", $"must be one of {string.Join(", ", AgentStateWire.All)}"));
            return new AgentTransition(this, errors);
        }

        var trimmed = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (next == AgentState.Break)
        {
            if (trimmed is null)
            {
                errors.Add(new("reason", "is required for a break"));
            }
            else if (trimmed.Length > ReasonMaxLength)
            {
                errors.Add(new("reason", $"must be at most {ReasonMaxLength} characters"));
            }
        }

        if (next != State && !AgentStateMachine.IsAllowed(State, next))
        {
            errors.Add(new("status", RefusalText(State, next)));
        }

        if (errors.Count > 0)
        {
            return new AgentTransition(this, errors);
        }

        var nextReason = next == AgentState.Break ? trimmed : null;
        if (next == State && nextReason == Reason)
        {
            return new AgentTransition(this, []);
        }

        return new AgentTransition(new AgentPresence(next, now, nextReason), []);
    }

    private static string RefusalText(AgentState from, AgentState to)
    {
        var allowed = AgentStateMachine.AllowedFrom(from);
        var why = to == AgentState.OnCall ? " (a call is only connected to a ready agent)" : string.Empty;
        return $"cannot go from {from.ToWire()} to {to.ToWire()}{why}; from {from.ToWire()} an agent may go to "
            + string.Join(", ", allowed.Select(s => s.ToWire()));
    }
}

/// <summary>The result of <see cref="AgentPresence.Enter"/>: the next presence, or the unchanged one with errors.</summary>
public sealed record AgentTransition(AgentPresence Presence, IReadOnlyList<FieldError> Errors)
{
    public bool IsAccepted => Errors.Count == 0;
}
