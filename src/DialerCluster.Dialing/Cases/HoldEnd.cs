using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Cases;

public enum HoldEndKind
{
    /// <summary>The history does not show how this agent's hold ended (it was never theirs, or someone took the case since).</summary>
    Unknown,

    /// <summary>The agent completed the case: their call attempt is the latest line that ends a hold.</summary>
    Completed,

    /// <summary>The agent's hold lapsed (hold timeout) and the case went back to the queue.</summary>
    Lapsed,
}

/// <summary>
/// How an agent's hold on a case ended, as the case's history tells it. A complete whose first answer was lost (its node
/// paused or died while it ran, and the desk asked again) finds the case released; the history says whether that was
/// this agent's own attempt, recorded once, or a lapse.
/// </summary>
public readonly record struct HoldEnd(HoldEndKind Kind, CaseActivity? Activity)
{
    public const string HoldTimeout = "hold timeout";

    /// <summary>Reads <paramref name="history"/> (oldest first) from its end to the latest line that starts or ends a hold.</summary>
    public static HoldEnd Of(IReadOnlyList<StoredActivity> history, string agentKey)
    {
        ArgumentNullException.ThrowIfNull(history);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var activity = history[i].Activity;
            switch (activity.Kind)
            {
                case CaseActivityKind.CallAttempt when activity.By == agentKey:
                    return new(HoldEndKind.Completed, activity);
                case CaseActivityKind.Released when activity.By == agentKey && activity.Details == HoldTimeout:
                    return new(HoldEndKind.Lapsed, activity);
                case CaseActivityKind.CallAttempt or CaseActivityKind.Released or CaseActivityKind.Assigned:
                    return default;
            }
        }

        return default;
    }
}
