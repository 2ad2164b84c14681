namespace DialerCluster.Dialing.Audit;

/// <summary>Who changed what, and when: one row per write a person makes through the API.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The newest first, optionally about one subject ("campaign 4", "call 17").</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? subject, int limit, CancellationToken cancellationToken);
}

/// <param name="Actor">The user name who did it.</param>
/// <param name="Action">What, as "resource.verb": campaign.create, dnc.import, call.rate, agent.force_break…</param>
/// <param name="Subject">What it was done to: "campaign 4", "agent 7", "case 12", a phone number.</param>
/// <param name="Detail">The change itself, as JSON.</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? Subject, string? Detail);
