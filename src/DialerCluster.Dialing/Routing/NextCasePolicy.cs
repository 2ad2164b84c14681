namespace DialerCluster.Dialing.Routing;

/// <summary>Where a case stands in an agent's Next case order: lower tiers are served first.</summary>
public enum NextCaseTier
{
    /// <summary>(a) The agent's own callbacks that are due; earliest due first.</summary>
    OwnDueCallback = 0,

    /// <summary>(b) Ready cases the agent owns (no callback booked).</summary>
    Owned = 1,

    /// <summary>(c) Due callbacks nobody else is keeping: the owner is away past the fallback, or there is no owner.</summary>
    FallbackCallback = 2,

    /// <summary>(d, e) Everything else that is ready: by priority, then oldest.</summary>
    General = 3,
}

/// <summary>Why a case is not offered. <see cref="None"/>: it may be offered.</summary>
public enum NextCaseExclusion
{
    None = 0,
    Terminal,
    Held,
    CallbackNotDue,
    RetryNotDue,
    AttemptsExhausted,
    DoNotCall,
    OutsideCallingWindow,

    /// <summary>Someone else's due callback while that owner is working or away for less than the fallback.</summary>
    ReservedForOwner,
}

/// <summary>
/// THE routing rule for Next case (issue 3; PRODUCT.md, "Dialing and distribution"). Read this class to know
/// which case an agent gets. <see cref="CampaignQueue"/> answers the same question fast and is tested against
/// <see cref="PickBest"/>.
/// <para>Order, best first (<see cref="Compare"/>):</para>
/// <list type="number">
/// <item>the agent's own due callbacks, earliest due first;</item>
/// <item>ready cases the agent owns;</item>
/// <item>due callbacks of owners away longer than the campaign's owner fallback (and of nobody), earliest due first;</item>
/// <item>then priority, high → normal → low;</item>
/// <item>then oldest first (created at, then case id, so the order is total).</item>
/// </list>
/// <para>Never (<see cref="Exclusion"/>): closed (won/resigned), held, callback or retry not yet due, attempts used up,
/// on the do-not-call list, outside the calling window in the contact's own time zone, or someone else's callback
/// while they are still around.</para>
/// </summary>
public static class NextCasePolicy
{
    /// <summary>Callbacks keep their promised time: earliest due first, then as <see cref="ReadyOrder"/>.</summary>
    public static IComparer<CaseCandidate> CallbackOrder { get; } = new CallbackComparer();

    /// <summary>Priority high → low, then oldest first, then lowest case id.</summary>
    public static IComparer<CaseCandidate> ReadyOrder { get; } = new ReadyComparer();

    public static NextCaseTier TierOf(CaseCandidate candidate, string agentId)
    {
        var own = candidate.OwnerAgentId == agentId;
        if (candidate.CallbackDueAt is not null)
        {
            return own ? NextCaseTier.OwnDueCallback : NextCaseTier.FallbackCallback;
        }

        return own ? NextCaseTier.Owned : NextCaseTier.General;
    }

    public static NextCaseExclusion Exclusion(CaseCandidate candidate, string agentId, DateTimeOffset now, NextCaseContext context)
    {
        if (candidate.IsTerminal)
        {
            return NextCaseExclusion.Terminal;
        }

        // A held case is with its holder already; another agent must never get it (no double dialing).
        if (candidate.HolderAgentId is not null)
        {
            return NextCaseExclusion.Held;
        }

        if (candidate.CallbackDueAt > now)
        {
            return NextCaseExclusion.CallbackNotDue;
        }

        if (candidate.NextEligibleAt > now)
        {
            return NextCaseExclusion.RetryNotDue;
        }

        var settings = context.Settings;
        if (candidate.Attempts >= settings.MaxAttempts)
        {
            return NextCaseExclusion.AttemptsExhausted;
        }

        if (context.DoNotCall.Contains(candidate.Phone))
        {
            return NextCaseExclusion.DoNotCall;
        }

        if (!settings.CallingWindow.IsOpen(now, candidate.TimeZone))
        {
            return NextCaseExclusion.OutsideCallingWindow;
        }

        if (candidate.CallbackDueAt is not null
            && candidate.OwnerAgentId is { } owner
            && owner != agentId
            && !IsAwayPastFallback(owner, now, context))
        {
            return NextCaseExclusion.ReservedForOwner;
        }

        return NextCaseExclusion.None;
    }

    public static bool IsEligible(CaseCandidate candidate, string agentId, DateTimeOffset now, NextCaseContext context) =>
        Exclusion(candidate, agentId, now, context) == NextCaseExclusion.None;

    /// <summary>Negative when <paramref name="a"/> should be offered to <paramref name="agentId"/> before <paramref name="b"/>.</summary>
    public static int Compare(CaseCandidate a, CaseCandidate b, string agentId)
    {
        var tierA = TierOf(a, agentId);
        var byTier = ((int)tierA).CompareTo((int)TierOf(b, agentId));
        if (byTier != 0)
        {
            return byTier;
        }

        return tierA is NextCaseTier.OwnDueCallback or NextCaseTier.FallbackCallback
            ? CallbackOrder.Compare(a, b)
            : ReadyOrder.Compare(a, b);
    }

    /// <summary>The case <paramref name="agentId"/> should get now, by a plain scan; null when nothing is eligible.</summary>
    public static CaseCandidate? PickBest(IEnumerable<CaseCandidate> cases, string agentId, DateTimeOffset now, NextCaseContext context)
    {
        ArgumentNullException.ThrowIfNull(cases);
        CaseCandidate? best = null;
        foreach (var candidate in cases)
        {
            if (IsEligible(candidate, agentId, now, context) && (best is null || Compare(candidate, best, agentId) < 0))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>The owner has been offline or on break for at least the campaign's owner fallback.</summary>
    public static bool IsAwayPastFallback(string ownerAgentId, DateTimeOffset now, NextCaseContext context) =>
        context.Owners.AwaySince(ownerAgentId) is { } since && now - since >= context.Settings.OwnerFallback;

    private sealed class ReadyComparer : IComparer<CaseCandidate>
    {
        public int Compare(CaseCandidate? x, CaseCandidate? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? 1 : -1;
            }

            // Cast: Enum.CompareTo(object) would box on every comparison.
            var byPriority = ((int)y.Priority).CompareTo((int)x.Priority);
            if (byPriority != 0)
            {
                return byPriority;
            }

            var byAge = x.CreatedAt.CompareTo(y.CreatedAt);
            return byAge != 0 ? byAge : x.CaseId.CompareTo(y.CaseId);
        }
    }

    private sealed class CallbackComparer : IComparer<CaseCandidate>
    {
        public int Compare(CaseCandidate? x, CaseCandidate? y)
        {
            if (x is not null && y is not null)
            {
                var byDue = Nullable.Compare(x.CallbackDueAt, y.CallbackDueAt);
                if (byDue != 0)
                {
                    return byDue;
                }
            }

            return ReadyOrder.Compare(x, y);
        }
    }
}
