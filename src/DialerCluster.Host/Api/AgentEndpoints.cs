using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Runtime;

namespace DialerCluster.Host.Api;

internal static class AgentEndpoints
{
    public const int NameMaxLength = 200;

    /// <summary>Next case's long poll in dialing modes: how long an agent waits for a dialed lead per request.</summary>
    public const int DefaultWaitSeconds = 20;

    public const int MaxWaitSeconds = 60;

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

    private static async Task<IResult> CreateAsync(AgentBody body, IAgentStore store, CancellationToken cancellationToken)
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

        if (IsDialerLine(name))
        {
            // A campaign takes agent records named so as its own dialing lines: a person must never become one.
            return ApiProblems.Problem(
                StatusCodes.Status422UnprocessableEntity, "name", $"must not start with '{CampaignGrain.LineNamePrefix.Trim()}': those names are the dialer's own lines");
        }

        var record = await store.CreateAsync(name, cancellationToken);
        var presence = AgentPresence.OfflineSince(record.CreatedAt);
        return Results.Created(
            $"/api/agents/{record.Id}",
            AgentResponse.From(new AgentView(record.Id, record.Name, presence, null, null), record.CreatedAt));
    }

    /// <summary>The people; the dialer's lines (records that hold a case while it rings) are left out.</summary>
    private static async Task<IResult> ListAsync(IAgentStore store, CancellationToken cancellationToken) =>
        Results.Ok((await store.ListAsync(cancellationToken)).Where(a => !IsDialerLine(a.Name)).OrderBy(a => a.Id).Select(AgentListItem.From).ToArray());

    private static bool IsDialerLine(string name) => name.StartsWith(CampaignGrain.LineNamePrefix, StringComparison.OrdinalIgnoreCase);

    private static async Task<IResult> GetAsync(long id, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<AgentGrain>(GrainKeys.Of(id)).ReadAsync(static (g, _) => g.ViewAsync(), cancellationToken);
        return Results.Ok(AgentResponse.From(view, time.GetUtcNow()));
    }

    private static async Task<IResult> SetStatusAsync(long id, AgentStatusBody body, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Status is not { } status)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "status", $"is required: one of {string.Join(", ", AgentStateWire.All)}");
        }

        var view = await grains.GetGrain<AgentGrain>(GrainKeys.Of(id))
            .CallAsync((status, body.Reason), static (g, a, ct) => g.SetStatusAsync(a.status, a.Reason, ct), cancellationToken);
        return Results.Ok(AgentResponse.From(view, time.GetUtcNow()));
    }

    private static async Task<IResult> NextCaseAsync(
        long id, long? campaignId, int? waitSeconds, IGrainFactory grains, CancellationToken cancellationToken)
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

        // Not cancelled with the request: once a hold is started, the agent grain finishes it so that a
        // retried request finds the case already held and gets it back.
        var agent = grains.GetGrain<AgentGrain>(GrainKeys.Of(id));
        var start = await agent.CallAsync(campaign, static (g, c, ct) => g.StartNextCaseAsync(c, ct), CancellationToken.None);
        if (start.Lead is not { } waiting)
        {
            return start.Offer is null ? Results.NoContent() : Results.Ok(NextCaseResponse.From(start.Offer));
        }

        // Dialing modes: a long poll. The wait happens here, outside every grain turn; the campaign completes it
        // when a person-answered call is bridged to this agent.
        DialedLead? lead = null;
        try
        {
            lead = await waiting.WaitAsync(TimeSpan.FromSeconds(wait), cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        // Stop waiting; a lead connected in the meantime is still handed over (the agent is already on the call).
        lead ??= await grains.GetGrain<CampaignGrain>(GrainKeys.Of(campaign))
            .CallAsync(id, static (g, a, _) => g.StopWaitingAsync(a), CancellationToken.None);
        if (lead is null)
        {
            return Results.NoContent();
        }

        var offer = await agent.CallAsync(lead, static (g, l, ct) => g.LeadOfferAsync(l, ct), CancellationToken.None);
        return Results.Ok(NextCaseResponse.From(offer));
    }

    private static async Task<IResult> CompleteAsync(long id, CompleteBody body, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (body.Outcome is not { } outcome)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "outcome", "is required: one of " + string.Join(", ", Dialing.Campaigns.CallOutcomeWire.All));
        }

        var done = await grains.GetGrain<AgentGrain>(GrainKeys.Of(id))
            .CallAsync(outcome, static (g, o, ct) => g.CompleteAsync(o, ct), CancellationToken.None);
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
