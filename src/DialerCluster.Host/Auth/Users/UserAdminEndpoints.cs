using System.Globalization;
using System.Text.Json;
using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Dialer;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Api;
using DialerCluster.Host.Auth.Sessions;

namespace DialerCluster.Host.Auth.Users;

/// <summary>
/// Users and agents for managers and admins (issue 16.1): create a user (linked to an agent, or with a new agent),
/// change its role or agent, disable or enable it, set a new password, delete it. Every change ends the user's
/// sessions at once and is audited. Supervisors manage agent users only; admins manage everyone; nobody takes away
/// their own role, access or account.
/// </summary>
internal static class UserAdminEndpoints
{
    public static IEndpointRouteBuilder MapUserAdmin(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").CheckDisplayedText();
        users.MapGet("/", ListAsync).WithName("ListUsers");
        users.MapPost("/", CreateAsync).WithName("CreateUser");
        users.MapPatch("/{id}", ChangeAsync).WithName("ChangeUser");
        users.MapPost("/{id}/password", SetPasswordAsync).WithName("SetUserPassword");
        users.MapDelete("/{id}", DeleteAsync).WithName("DeleteUser");
        app.MapGet("/api/audit", AuditAsync).WithTags("Users").WithName("AuditLog");
        return app;
    }

    private static async Task<IResult> ListAsync(UserDirectory users, IAgentStore agents, [FromKeyedServices(DialerClock.Key)] TimeProvider time, CancellationToken cancellationToken)
    {
        var names = (await agents.ListAsync(cancellationToken)).ToDictionary(a => a.Id, a => a.Name);
        var now = time.GetUtcNow();
        return Results.Ok((await users.ListAsync(cancellationToken)).Select(u => View(u, names, now)).ToArray());
    }

    private static async Task<IResult> CreateAsync(NewUserRequest? request, UserDirectory users, IAgentStore agents, IAuditLog audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (request is null)
        {
            return Invalid([new FieldError("body", "is required: {userName, password, role, agentId? | agentName?}")]);
        }

        var newAgent = request.AgentName?.Trim();
        if (newAgent is not null && request.AgentId is not null)
        {
            return Invalid([new FieldError("agentName", "give agentId (an existing agent) or agentName (a new one), not both")]);
        }

        var errors = UserDirectory.Validate(request.UserName, request.Password, request.Role, request.AgentId ?? (newAgent is null ? null : 0), out var name).ToList();
        if (newAgent is not null && AgentNameRefusal(newAgent) is { } agentNameError)
        {
            errors.Add(new FieldError("agentName", agentNameError));
        }

        if (errors.Count == 0 && request.AgentId is { } agentId && await agents.GetAsync(agentId, cancellationToken) is null)
        {
            errors.Add(new FieldError("agentId", $"no agent with id {agentId}"));
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        if (RoleRefusal(context, request.Role!) is { } forbidden)
        {
            return forbidden;
        }

        if (await users.NameConflictAsync(name, cancellationToken) is { } conflict)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "userName", conflict);
        }

        var actor = Actor(context);
        var linked = request.AgentId;
        if (newAgent is not null)
        {
            var agent = await agents.CreateAsync(newAgent, cancellationToken);
            linked = agent.Id;
            await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), actor, "agent.created", "agent:" + Id(agent.Id), $"'{agent.Name}', for user '{name.Name}'"), cancellationToken);
        }

        UserRecord? user;
        try
        {
            user = await users.CreateAsync(name, request.Password!, request.Role!, linked, cancellationToken);
        }
        catch (DuplicateKeyException)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "userName", $"'{name.Name}' is taken");
        }

        if (user is null)
        {
            return Busy(context);
        }

        await audit.AppendAsync(
            new AuditEntry(time.GetUtcNow(), actor, "user.created", Subject(user.Id), $"'{user.UserName}', role {user.Role}" + (linked is { } a ? $", agent {Id(a)}" : string.Empty)),
            cancellationToken);
        var names = linked is { } linkedId && await agents.GetAsync(linkedId, cancellationToken) is { } linkedAgent
            ? new Dictionary<long, string> { [linkedAgent.Id] = linkedAgent.Name }
            : [];
        return Results.Created($"/api/users/{user.Id}", View(user, names, time.GetUtcNow()));
    }

    private static async Task<IResult> ChangeAsync(long id, UserPatchBody body, UserDirectory users, IAgentStore agents, IAuditLog audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (await users.GetAsync(id, cancellationToken) is not { } user)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no user with id {id}");
        }

        var (changeAgent, agentId) = body.AgentId.ValueKind switch
        {
            JsonValueKind.Undefined => (false, user.AgentId),
            JsonValueKind.Null => (true, (long?)null),
            JsonValueKind.Number when body.AgentId.TryGetInt64(out var linked) && linked > 0 => (true, linked),
            _ => throw ApiProblems.Invalid("agentId", "must be an agent id, or null to unlink the agent"),
        };
        var role = body.Role ?? user.Role;
        if (UserDirectory.RoleRefusal(role, agentId) is { } invalid)
        {
            return Invalid([invalid]);
        }

        if (changeAgent && agentId is { } newAgent && await agents.GetAsync(newAgent, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "agentId", $"no agent with id {newAgent}");
        }

        if ((RoleRefusal(context, user.Role) ?? RoleRefusal(context, role)) is { } forbidden)
        {
            return forbidden;
        }

        if (IsSelf(context, id) && (role != user.Role || body.Disabled == true))
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "id", "you cannot change your own role or disable yourself; ask another admin");
        }

        var change = new UserChange
        {
            Role = body.Role,
            ChangeAgent = changeAgent,
            AgentId = agentId,
            Disabled = body.Disabled,
        };
        var changed = await users.ChangeAsync(id, change, cancellationToken);
        if (changed is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no user with id {id}");
        }

        var actor = Actor(context);
        var at = time.GetUtcNow();
        foreach (var (action, detail) in Changes(user, changed))
        {
            await audit.AppendAsync(new AuditEntry(at, actor, action, Subject(id), detail), cancellationToken);
        }

        var names = (await agents.ListAsync(cancellationToken)).ToDictionary(a => a.Id, a => a.Name);
        return Results.Ok(View(changed, names, at));
    }

    private static async Task<IResult> SetPasswordAsync(long id, PasswordBody body, UserDirectory users, IAuditLog audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext context)
    {
        if (UserDirectory.PasswordRefusal(body.Password) is { } reason)
        {
            return Invalid([new FieldError("password", reason)]);
        }

        if (await users.GetAsync(id, context.RequestAborted) is not { } user)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no user with id {id}");
        }

        if (RoleRefusal(context, user.Role) is { } forbidden)
        {
            return forbidden;
        }

        var (busy, changed) = await users.SetPasswordAsync(id, body.Password!, context.RequestAborted);
        if (busy)
        {
            return Busy(context);
        }

        if (changed is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no user with id {id}");
        }

        await audit.AppendAsync(
            new AuditEntry(time.GetUtcNow(), Actor(context), "user.password_set", Subject(id), "a new password was set; the user's sessions ended"),
            context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(long id, UserDirectory users, IAuditLog audit, [FromKeyedServices(DialerClock.Key)] TimeProvider time, HttpContext context)
    {
        if (IsSelf(context, id))
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "id", "you cannot delete yourself; ask another admin");
        }

        var user = await users.GetAsync(id, context.RequestAborted);
        if (user is null || !await users.DeleteAsync(id, context.RequestAborted))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no user with id {id}");
        }

        await audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context), "user.deleted", Subject(id), $"'{user.UserName}', role {user.Role}"), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> AuditAsync(string? subject, string? action, int? limit, IAuditLog audit, CancellationToken cancellationToken)
    {
        var count = limit ?? 100;
        if (count is < 1 or > 1000)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "limit", "must be from 1 to 1000");
        }

        var entries = await audit.RecentAsync(count, string.IsNullOrEmpty(subject) ? null : subject, string.IsNullOrEmpty(action) ? null : action, cancellationToken);
        return Results.Ok(entries.Select(e => new AuditView(e.Id, e.At, e.Actor, e.Action, e.Subject, e.Detail)).ToArray());
    }

    /// <summary>Each aspect that changed, as its own audit entry.</summary>
    private static IEnumerable<(string Action, string Detail)> Changes(UserRecord before, UserRecord after)
    {
        if (before.Role != after.Role)
        {
            yield return ("user.role_changed", $"{before.Role} → {after.Role}");
        }

        if (before.AgentId != after.AgentId)
        {
            yield return after.AgentId is { } agent
                ? ("user.agent_linked", $"agent {Id(agent)}" + (before.AgentId is { } old ? $" (was {Id(old)})" : string.Empty))
                : ("user.agent_unlinked", $"was agent {Id(before.AgentId!.Value)}");
        }

        if (before.Disabled != after.Disabled)
        {
            yield return after.Disabled ? ("user.disabled", "sign-in refused; every session ended") : ("user.enabled", "may sign in again");
        }
    }

    /// <summary>Supervisors manage agent users only: a 403 for any other role, as the target's or the requested one.</summary>
    private static IResult? RoleRefusal(HttpContext context, string role) =>
        SignedInUser.From(context.User)?.Role == DialerRoles.Admin || role == DialerRoles.Agent
            ? null
            : ApiProblems.Problem(StatusCodes.Status403Forbidden, "role", $"a supervisor manages agent users only, not {role}s; ask an admin");

    /// <summary>What the agent endpoint refuses as an agent's name (kept in step with AgentEndpoints).</summary>
    private static string? AgentNameRefusal(string name) =>
        name.Length == 0 ? "is required"
        : name.Length > AgentEndpoints.NameMaxLength ? $"must be at most {AgentEndpoints.NameMaxLength} characters"
        : DialerLines.IsLine(name) ? $"must not start with '{DialerLines.NamePrefix.Trim()}': those names are the dialer's own lines"
        : null;

    private static bool IsSelf(HttpContext context, long userId) => SessionClaims.From(context.User)?.UserId == userId;

    private static string Actor(HttpContext context) => SignedInUser.From(context.User)?.UserName ?? "system";

    private static string Subject(long userId) => "user:" + Id(userId);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static UserView View(UserRecord user, IReadOnlyDictionary<long, string> agentNames, DateTimeOffset now) => new(
        user.Id,
        user.UserName,
        user.Role,
        user.AgentId,
        user.AgentId is { } agent && agentNames.TryGetValue(agent, out var name) ? name : null,
        user.Disabled,
        user.LockedUntil > now ? user.LockedUntil : null,
        user.CreatedAt);

    private static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "password", "password hashing is busy; try again in a second");
    }

    private static IResult Invalid(IEnumerable<FieldError> errors) => ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, errors);
}
