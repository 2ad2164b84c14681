using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth;

namespace DialerCluster.Host.Api;

/// <param name="BookedBy">Who booked the callback as history names them (a user name or an agent id).</param>
/// <param name="Overdue">The contact time has passed.</param>
public sealed record ReminderResponse(
    long CaseId,
    long CampaignId,
    string CampaignName,
    string ContactName,
    string Phone,
    CaseStatus Status,
    long? OwnerAgentId,
    string? OwnerName,
    string? BookedBy,
    long? BookedByAgentId,
    DateTimeOffset NextContactAt,
    bool Overdue)
{
    public static ReminderResponse From(Reminder r, DateTimeOffset now) => new(
        r.CaseId, r.CampaignId, r.CampaignName, r.ContactName, r.Phone, r.Status, r.OwnerAgentId, r.OwnerName, r.BookedBy, r.BookedByAgentId,
        r.NextContactAt, r.NextContactAt < now);
}

public sealed record ReminderPageResponse(IReadOnlyList<ReminderResponse> Items, long Total, int Page, int PageSize, DateTimeOffset Now);

internal static class ReminderEndpoints
{
    public static RouteGroupBuilder MapReminders(this RouteGroupBuilder api)
    {
        api.MapGet("/reminders", ListAsync).WithTags("Reminders").WithName("ListReminders")
            .WithSummary("Every booked callback, owned or not, earliest first; an agent sees only its own (owned, or booked by it when unowned). owner: an agent id, or \"none\" for unowned.")
            .Produces<ReminderPageResponse>();
        return api;
    }

    private static async Task<IResult> ListAsync(
        string? campaignId, string? owner, string? page, string? pageSize, ICaseStore cases, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var user = SignedInUser.From(http.User);
        long? visibleTo = null;
        if (user is { IsManagement: false })
        {
            // An agent's own only; a user of no agent has none.
            visibleTo = user.AgentId ?? throw new Dialing.Grains.RequestRefusedException(Dialing.Grains.Refusal.Forbidden, "user", "your user is not linked to an agent");
        }

        var unowned = owner == "none";
        var query = new ReminderQuery(
            QueryValues.Id(campaignId, "campaignId"),
            unowned ? null : QueryValues.Id(owner, "owner"),
            unowned,
            visibleTo,
            QueryValues.Int(page, "page", 1, int.MaxValue) ?? 1,
            QueryValues.Int(pageSize, "pageSize", 1, ReminderQuery.MaxPageSize) ?? 100);
        var result = await cases.RemindersAsync(query, cancellationToken);
        var now = time.GetUtcNow();
        return Results.Ok(new ReminderPageResponse(result.Items.Select(r => ReminderResponse.From(r, now)).ToArray(), result.Total, result.Page, result.PageSize, now));
    }
}
