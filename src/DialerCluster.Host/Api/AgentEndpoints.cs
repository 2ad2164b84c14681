using System.Diagnostics;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Audit;

namespace DialerCluster.Host.Api;

internal static class AgentEndpoints
{
    public const int NameMaxLength = 200;

    /// <summary>Next case's long poll in dialing modes: how long an agent waits for a dialed lead per request.</summary>
    public const int DefaultWaitSeconds = 20;

    public const int MaxWaitSeconds = 60;

    /// <summary>A 204 from Next case names why no case came in this header: one of <see cref="NoCaseReasonWire.All"/>.</summary>
    public const string NoCaseHeader = "Next-Case-Reason";

    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents");
        agents.MapPost("/", CreateAsync).WithName("CreateAgent");
        agents.MapGet("/", ListAsync).WithName("ListAgents");
        agents.MapGet("/{id}", GetAsync).WithName("GetAgent");
        agents.MapPut("/{id}/status", SetStatusAsync).WithName("SetAgentStatus");
        agents.MapPost("/{id}/next-case", NextCaseAsync).WithName("NextCase")
            .Produces<NextCaseResponse>().Produces(StatusCodes.Status204NoContent);
        agents.MapPost("/{id}/complete", CompleteAsync).WithName("CompleteCase");
        agents.MapGet("/{id}/reminders", RemindersAsync).WithName("Reminders");
        return agents;
    }

    private static async Task<IResult> CreateAsync(AgentBody body, IAgentStore store, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "name", "is required");
        }

        if (name.Length > NameMaxLength)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "name", $"must be at most {NameMaxLength} characters");
        }

        if (DialerLines.IsLine(name))
        {
            // A campaign takes agent records named so as its own dialing lines: a person must never become one.
            return ApiProblems.Problem(
                StatusCodes.Status422UnprocessableEntity, "name", $"must not start with '{DialerLines.NamePrefix.Trim()}': those names are the dialer's own lines");
        }

        var record = await store.CreateAsync(name, cancellationToken);
        await audit.RecordAsync(http, "agent.create", $"agent {record.Id}", new { name });
        var presence = AgentPresence.OfflineSince(record.CreatedAt);
        return Results.Created(
            $"/api/agents/{record.Id}",
            AgentResponse.From(new AgentView(record.Id, record.Name, presence, null, null), record.CreatedAt));
    }

    /// <summary>The people; the dialer's lines (records that hold a case while it rings) are left out.</summary>
    private static async Task<IResult> ListAsync(IAgentStore store, CancellationToken cancellationToken) =>
        Results.Ok((await store.ListAsync(cancellationToken)).Where(a => !DialerLines.IsLine(a.Name)).OrderBy(a => a.Id).Select(AgentListItem.From).ToArray());

    private static async Task<IResult> GetAsync(long id, IGrainFactory grains, [FromKeyedServices(DialerClock.Key)] TimeProvider clock)
    {
        var view = await grains.GetGrain<IAgentGrain>(id).ViewAsync();
        return Results.Ok(AgentResponse.From(view, clock.GetUtcNow()));
    }

    private static async Task<IResult> SetStatusAsync(long id, AgentStatusBody body, IGrainFactory grains, [FromKeyedServices(DialerClock.Key)] TimeProvider clock)
    {
        if (body.Status is not { } status)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "status", $"is required: one of {string.Join(", ", AgentStateWire.All)}");
        }

        var view = await grains.GetGrain<IAgentGrain>(id).SetStatusAsync(status, body.Reason);
        return Results.Ok(AgentResponse.From(view, clock.GetUtcNow()));
    }

    private static async Task<IResult> NextCaseAsync(
        long id, long? campaignId, int? waitSeconds, HotGrainReferences grains, DialerMetrics metrics, DialerTracing tracing, HttpResponse response, CancellationToken cancellationToken)
    {
        if (campaignId is not { } campaign)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "campaignId", "is required (query string)");
        }

        var wait = waitSeconds ?? DefaultWaitSeconds;
        if (wait is < 0 or > MaxWaitSeconds)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "waitSeconds", $"must be between 0 and {MaxWaitSeconds}");
        }

        var started = Stopwatch.GetTimestamp();
        using var span = tracing.NextCase(campaign, id);

        // A disconnect ends only the wait: a hold once started is finished by the grains, so that a retried request
        // finds the case already held and gets it back. In dialing modes the wait is a long poll in the campaign.
        var result = await NextCaseRequest.RunAsync(grains.Agent(id), grains.Campaign(campaign), TimeSpan.FromSeconds(wait), cancellationToken);
        var offer = result.Offer;

        // The mode as the sampler last read it (a mode change shows within Metrics:SampleSeconds); a campaign it has not
        // read yet is asked once.
        var mode = metrics.ModeOf(campaign) ?? await grains.Campaign(campaign).DialModeAsync();
        metrics.NextCaseAnswered(mode, offer is not null, Stopwatch.GetElapsedTime(started));
        if (span.Activity is { } activity)
        {
            activity.SetTag("dialer.mode", mode.ToWire());
            activity.SetTag("dialer.outcome", offer is null ? "none" : "offered");
            activity.SetTag("dialer.case", offer?.Case.Id);
            activity.SetTag("dialer.call", offer?.Call?.CallId);
        }

        if (offer is null)
        {
            response.Headers[NoCaseHeader] = (result.NoCase ?? NoCaseReason.WaitEnded).ToWire();
            return Results.NoContent();
        }

        return Results.Ok(NextCaseResponse.From(offer));
    }

    private static async Task<IResult> CompleteAsync(long id, CompleteBody body, HotGrainReferences grains)
    {
        using var span = DialerTracing.Request("complete");
        span?.SetTag("dialer.agent", id);
        if (body.Outcome is not { } outcome)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "outcome", "is required: one of " + string.Join(", ", Dialing.Campaigns.CallOutcomeWire.All));
        }

        var done = await grains.Agent(id).CompleteAsync(outcome);
        span?.SetTag("dialer.campaign", done.CampaignId);
        span?.SetTag("dialer.case", done.CaseId);
        span?.SetTag("dialer.outcome", outcome.ToWire());
        return Results.Ok(CompleteResponse.From(done));
    }

    private static async Task<IResult> RemindersAsync(long id, long? campaignId, IAgentStore agents, ICaseStore cases, CancellationToken cancellationToken)
    {
        if (await agents.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no agent with id {id}");
        }

        // The agent's own: the cases it owns, and the unowned callbacks it booked.
        var reminders = await cases.RemindersAsync(new ReminderQuery(CampaignId: campaignId, VisibleTo: id, PageSize: ReminderQuery.MaxPageSize), cancellationToken);
        return Results.Ok(reminders.Items.Select(CaseSummaryResponse.From).ToArray());
    }
}
