namespace DialerCluster.Dialing.Audit;

/// <summary>Who changed what, and when: one row per write a person (or the system, e.g. a lockout) makes. Append-only.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest first (at most 1,000), optionally about one subject ("campaign 4", "user:12") or one action.</summary>
    Task<IReadOnlyList<AuditRecord>> RecentAsync(int limit, string? subject, string? action, CancellationToken cancellationToken);
}

/// <param name="Actor">The user name who did it, or "system".</param>
/// <param name="Action">What, as "resource.verb": campaign.create, dnc.import, call.rate, agent.force_break, user.created, sign_in.locked…</param>
/// <param name="Subject">What it was done to: "campaign 4", "agent 7", "case 12", "user:12", "sign_in:alice", a phone number.</param>
/// <param name="Detail">The change itself (JSON from the managers' screens, a sentence from sign-in and user admin).</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? Subject, string? Detail);

/// <summary>An <see cref="AuditEntry"/> as stored, with its row id.</summary>
public sealed record AuditRecord(long Id, DateTimeOffset At, string Actor, string Action, string? Subject, string? Detail)
{
    public AuditEntry Entry => new(At, Actor, Action, Subject, Detail);
}
