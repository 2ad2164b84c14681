using DialerCluster.Dialing.CallLog;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Grains;
using DialerCluster.Host.Audit;
using DialerCluster.Host.Auth;

namespace DialerCluster.Host.Api;

/// <param name="Score">1 (poor) to 5 (excellent).</param>
public sealed record CallRatingBody(int? Score, string? Comment);

public sealed record CallRatingResponse(int Score, string? Comment, string RatedBy, DateTimeOffset RatedAt)
{
    public static CallRatingResponse? From(CallRating? rating) =>
        rating is null ? null : new(rating.Score, rating.Comment, rating.RatedBy, rating.RatedAt);
}

/// <param name="Outcome">How the call ended (a call outcome), or "in_progress" while it is up.</param>
/// <param name="RecordingUrl">Where to listen to the call; empty until calls are recorded.</param>
public sealed record CallLogEntryResponse(
    long Id,
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
    double? TalkSeconds,
    string Outcome,
    bool Abandoned,
    string? RecordingUrl,
    CallRatingResponse? Rating)
{
    public static CallLogEntryResponse From(CallLogEntry c) => new(
        c.CallId, c.CaseId, c.CampaignId, c.CampaignName, c.AgentId, c.AgentName, c.ContactName, c.Phone, c.StartedAt, c.AnsweredAt,
        c.EndedAt, c.Talk?.TotalSeconds, c.Outcome ?? CallLogQuery.InProgress, c.Abandoned, c.RecordingUrl, CallRatingResponse.From(c.Rating));
}

public sealed record CallLogPageResponse(IReadOnlyList<CallLogEntryResponse> Items, long Total, int Page, int PageSize);

internal static class CallLogEndpoints
{
    public static RouteGroupBuilder MapCallLog(this RouteGroupBuilder api)
    {
        var calls = api.MapGroup("/calls").WithTags("Call log");
        calls.MapGet("/", ListAsync).WithName("ListCalls")
            .WithSummary("Every dialed call of a day (day=YYYY-MM-DD) or period (from, to), newest first; by campaign, agent and outcome.")
            .Produces<CallLogPageResponse>();
        calls.MapGet("/{id}", GetAsync).WithName("GetCall").Produces<CallLogEntryResponse>();
        calls.MapPut("/{id}/rating", RateAsync).WithName("RateCall")
            .WithSummary("A supervisor's score (1 to 5) and comment; rating again replaces it.")
            .Produces<CallRatingResponse>();
        return calls;
    }

    private static async Task<IResult> ListAsync(
        string? day,
        string? from,
        string? to,
        string? campaignId,
        string? agentId,
        string? outcome,
        string? page,
        string? pageSize,
        ICallLogStore calls,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (outcome is not null && outcome != CallLogQuery.InProgress && !CallOutcomeWire.TryParse(outcome, out _))
        {
            throw ApiProblems.Invalid("outcome", $"'{outcome}' is not one of {string.Join(", ", CallOutcomeWire.All)}, {CallLogQuery.InProgress}");
        }

        DateTimeOffset start, end;
        if (QueryValues.Moment(day, "day") is { } dayStart)
        {
            (start, end) = (dayStart, dayStart.AddDays(1));
        }
        else
        {
            var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
            end = QueryValues.Moment(to, "to", endOfDay: true) ?? today.AddDays(1);
            start = QueryValues.Moment(from, "from") ?? end.AddDays(-1);
        }

        if (end <= start)
        {
            throw ApiProblems.Invalid("to", "must be after from");
        }

        var query = new CallLogQuery(
            start,
            end,
            QueryValues.Id(campaignId, "campaignId"),
            QueryValues.Id(agentId, "agentId"),
            outcome,
            QueryValues.Int(page, "page", 1, int.MaxValue) ?? 1,
            QueryValues.Int(pageSize, "pageSize", 1, CallLogQuery.MaxPageSize) ?? 50);
        var result = await calls.ListAsync(query, cancellationToken);
        return Results.Ok(new CallLogPageResponse(result.Items.Select(CallLogEntryResponse.From).ToArray(), result.Total, result.Page, result.PageSize));
    }

    private static async Task<IResult> GetAsync(long id, ICallLogStore calls, CancellationToken cancellationToken) =>
        await calls.GetAsync(id, cancellationToken) is { } call
            ? Results.Ok(CallLogEntryResponse.From(call))
            : ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no call with id {id}");

    private static async Task<IResult> RateAsync(
        long id, CallRatingBody body, ICallLogStore calls, AuditTrail audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var comment = string.IsNullOrWhiteSpace(body.Comment) ? null : body.Comment.Trim();
        var errors = CallRating.Validate(body.Score, comment);
        if (errors.Count > 0)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, errors);
        }

        var by = SignedInUser.From(http.User)?.UserName ?? "api";
        var rated = await calls.RateAsync(id, new CallRating(body.Score!.Value, comment, by, time.GetUtcNow()), cancellationToken);
        if (rated is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no call with id {id}");
        }

        await audit.RecordAsync(http, "call.rate", $"call {id}", new { score = rated.Score, comment = rated.Comment });
        return Results.Ok(CallRatingResponse.From(rated));
    }
}
