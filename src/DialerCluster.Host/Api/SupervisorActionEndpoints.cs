using System.Text.Json;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Reports;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Audit;
using DialerCluster.Host.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DialerCluster.Host.Api;

public sealed record ForceBreakBody(string? Reason);

public sealed record CaseOwnerBody
{
    /// <summary>The new owner; null leaves the case unowned.</summary>
    public JsonElement OwnerAgentId { get; init; }

    /// <summary>The case's version the supervisor saw, when not sent as If-Match.</summary>
    public long? Version { get; init; }
}

/// <param name="Kind">"state": a line of the agent's state log; "action": a supervisor's action on the agent (audit log).</param>
public sealed record AgentHistoryEntry(DateTimeOffset At, string Kind, AgentState? State, string? Reason, string? Action, string? By);

/// <summary>
/// What a supervisor does to others from the wall: force a break, log an agent out, give a case to another owner. Every
/// grain call of these actions is in this one file (so the move to Orleans changes them in one place); each action
/// lands in the agent's state log or the case's history, and in the audit log with who did it.
/// </summary>
internal static class SupervisorActionEndpoints
{
    public const int HistoryLimit = 200;

    public static RouteGroupBuilder MapSupervisorActions(this RouteGroupBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Supervisor actions");
        agents.MapPost("/{id}/force-break", ForceBreakAsync).WithName("ForceBreak").Produces<AgentResponse>();
        agents.MapPost("/{id}/log-out", LogOutAsync).WithName("LogAgentOut").Produces<AgentResponse>();
        agents.MapGet("/{id}/history", HistoryAsync).WithName("AgentHistory")
            .WithSummary("The agent's state changes and the supervisors' actions on it, newest first (default: the last 7 days).")
            .Produces<AgentHistoryEntry[]>();
        api.MapPut("/cases/{id}/owner", ReassignAsync).WithTags("Supervisor actions").WithName("ReassignCase").Produces<CaseResponse>();
        return api;
    }

    private static async Task<IResult> ForceBreakAsync(
        long id, ForceBreakBody body, IGrainFactory grains, AuditTrail audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<IAgentGrain>(id).SetStatusAsync(AgentState.Break, body.Reason);
        await audit.RecordAsync(http, "agent.force_break", Subject(id), new { reason = view.Presence.Reason });
        return Results.Ok(AgentResponse.From(view, time.GetUtcNow()));
    }

    private static async Task<IResult> LogOutAsync(
        long id, IGrainFactory grains, AuditTrail audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var view = await grains.GetGrain<IAgentGrain>(id).SetStatusAsync(AgentState.Offline, null);
        await audit.RecordAsync(http, "agent.log_out", Subject(id));
        return Results.Ok(AgentResponse.From(view, time.GetUtcNow()));
    }

    /// <summary>Like PATCH, based on the version the supervisor saw (If-Match or "version"): a reassign never overwrites a save it has not seen.</summary>
    private static async Task<IResult> ReassignAsync(
        long id,
        CaseOwnerBody body,
        IGrainFactory grains,
        IAgentStore agents,
        ICaseStore cases,
        CaseHolders holders,
        AuditTrail audit,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        long? owner = body.OwnerAgentId.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when body.OwnerAgentId.TryGetInt64(out var agentId) && agentId > 0 => agentId,
            _ => throw ApiProblems.Invalid("ownerAgentId", "is required: an agent id, or null for no owner"),
        };
        if (owner is { } newOwner && await agents.GetAsync(newOwner, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "ownerAgentId", $"no agent with id {newOwner}");
        }

        var current = (await grains.GetGrain<ICaseGrain>(id).ViewAsync()).Case;
        var (based, refusal) = CaseVersions.Read(http.Request, body.Version, id);
        if (based is not { } from)
        {
            return refusal!;
        }

        var by = SignedInUser.From(http.User)?.UserName ?? "api";
        var patch = new CasePatch(null, CaseForm.Empty, null, ChangeOwner: true, owner, ExpectedVersion: null, EditingAgentId: null, by);
        var result = await CaseEndpoints.SaveAsync(id, patch, from, current, http, grains, agents, cases, holders, cancellationToken);
        if (result is Ok<CaseResponse>)
        {
            await audit.RecordAsync(http, "case.reassign", $"case {id}", new { from = current.OwnerAgentId, to = owner });
        }

        return result;
    }

    private static async Task<IResult> HistoryAsync(
        long id, string? from, string? to, IAgentStore agents, IReportStore reports, IAuditLog audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, CancellationToken cancellationToken)
    {
        if (await agents.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no agent with id {id}");
        }

        var end = QueryValues.Moment(to, "to", endOfDay: true) ?? time.GetUtcNow().AddSeconds(1);
        var start = QueryValues.Moment(from, "from") ?? end.AddDays(-7);
        var states = await reports.AgentStatesAsync(id, start, end, HistoryLimit, cancellationToken);
        var actions = await audit.RecentAsync(HistoryLimit, Subject(id), null, cancellationToken);
        var history = states.Select(s => new AgentHistoryEntry(s.Since, "state", s.State, s.Reason, null, null))
            .Concat(actions.Where(a => a.At >= start && a.At < end).Select(a => new AgentHistoryEntry(a.At, "action", null, null, a.Action, a.Actor)))
            .OrderByDescending(e => e.At)
            .ThenBy(e => e.Kind, StringComparer.Ordinal)
            .Take(HistoryLimit)
            .ToArray();
        return Results.Ok(history);
    }

    private static string Subject(long agentId) => $"agent {agentId}";
}
