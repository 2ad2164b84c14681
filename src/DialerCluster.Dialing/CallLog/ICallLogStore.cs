using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.CallLog;

/// <summary>The call log (every dialed call, from the calls table) and the supervisors' ratings of calls.</summary>
public interface ICallLogStore
{
    Task<CallLogPage> ListAsync(CallLogQuery query, CancellationToken cancellationToken);

    Task<CallLogEntry?> GetAsync(long callId, CancellationToken cancellationToken);

    /// <summary>Rates a call (a second rating replaces the first). Null when there is no such call.</summary>
    Task<CallRating?> RateAsync(long callId, CallRating rating, CancellationToken cancellationToken);
}

/// <summary>Calls started in [<see cref="From"/>, <see cref="To"/>), newest first, optionally of one campaign, agent and outcome.</summary>
/// <param name="Outcome">A call outcome's wire name, or "in_progress" for calls still up.</param>
public sealed record CallLogQuery(
    DateTimeOffset From,
    DateTimeOffset To,
    long? CampaignId = null,
    long? AgentId = null,
    string? Outcome = null,
    int Page = 1,
    int PageSize = 50)
{
    public const int MaxPageSize = 500;
    public const string InProgress = "in_progress";
}

/// <summary>A supervisor's score (1 to 5) and comment on a call.</summary>
public sealed record CallRating(int Score, string? Comment, string RatedBy, DateTimeOffset RatedAt)
{
    public const int CommentMaxLength = 2_000;

    public static IReadOnlyList<FieldError> Validate(int? score, string? comment)
    {
        var errors = new List<FieldError>();
        if (score is not (>= 1 and <= 5))
        {
            errors.Add(new("score", "is required: a whole number from 1 to 5"));
        }

        if (comment is { Length: > CommentMaxLength })
        {
            errors.Add(new("comment", $"must be at most {CommentMaxLength} characters"));
        }

        return errors;
    }
}

/// <param name="RecordingUrl">Where the call's recording can be played; empty until calls are recorded.</param>
public sealed record CallLogEntry(
    long CallId,
    long CaseId,
    long CampaignId,
    string CampaignName,
    long? AgentId,
    string? AgentName,
    string ContactName,
    string Phone,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    string? Outcome,
    bool Abandoned,
    string? RecordingUrl,
    CallRating? Rating)
{
    /// <summary>Talk time: from the answer to the end, for calls answered and ended.</summary>
    public TimeSpan? Talk => AnsweredAt is { } answered && EndedAt is { } ended ? ended - answered : null;
}

public sealed record CallLogPage(IReadOnlyList<CallLogEntry> Items, long Total, int Page, int PageSize);
