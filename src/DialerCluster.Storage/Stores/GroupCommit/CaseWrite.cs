using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage;

internal enum CaseWriteKind
{
    Hold,
    Release,
}

/// <summary>
/// One hold or release waiting for its group commit. It is its own completion source (one allocation per
/// write): the committer sets <see cref="Applied"/>, and the queue completes the task only after the
/// batch's transaction has committed.
/// </summary>
internal sealed class CaseWrite : TaskCompletionSource<bool>
{
    private CaseWrite(CaseWriteKind kind, long caseId, long agentId, DateTimeOffset at, CampaignEpoch epoch, CaseRelease? release)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Kind = kind;
        CaseId = caseId;
        AgentId = agentId;
        At = at;
        Epoch = epoch;
        Release = release;
    }

    public CaseWriteKind Kind { get; }

    public long CaseId { get; }

    public long AgentId { get; }

    public DateTimeOffset At { get; }

    /// <summary>The writing campaign activation's epoch; the write applies only while it is the case's campaign's.</summary>
    public CampaignEpoch Epoch { get; }

    public CaseRelease? Release { get; }

    /// <summary>Whether this write's condition held (the row changed); published only after the commit.</summary>
    public bool Applied { get; set; }

    /// <summary>An applied hold's case and contact, read in the batch's transaction; published with <see cref="Applied"/>.</summary>
    public CaseHold? Held { get; set; }

    public static CaseWrite Hold(long caseId, long agentId, DateTimeOffset at, CampaignEpoch epoch) =>
        new(CaseWriteKind.Hold, caseId, agentId, at, epoch, null);

    public static CaseWrite Releasing(CaseRelease release) =>
        new(CaseWriteKind.Release, release.CaseId, release.AgentId, release.At, release.Epoch, release);
}

/// <summary>Writes one batch in ONE transaction, each write keeping its own condition, and returns once it is durable.</summary>
internal interface ICaseWriteCommitter : IAsyncDisposable
{
    Task CommitAsync(IReadOnlyList<CaseWrite> batch, CancellationToken cancellationToken);
}
