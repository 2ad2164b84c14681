using System.Text.Json;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Api;
using DialerCluster.Host.Ids;
using Microsoft.AspNetCore.Authorization;

namespace DialerCluster.Host.Auth;

/// <summary>
/// Applies <see cref="ApiAccessRules"/> to every /api endpoint after routing and authentication: 401 when the
/// caller is not signed in, 403 when the role or the scope (agent-self, the agent's campaigns) does not allow it.
/// Scoped routes carry the agent, campaign or case id as their first route parameter. Before anything, every id
/// in the route and the query string must be canonical decimal (<see cref="CanonicalId"/>), else 400 naming it:
/// this check and the endpoint's binder then read the same number, so no spelling of another agent's id
/// ("+15", " 15", "015", full-width digits ...) can pass the check as "no id" and reach the endpoint as 15.
/// </summary>
internal sealed class ApiAccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IAuthorizationService authorization)
    {
        if (context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.RoutePattern.RawText is not { } pattern || !ApiAccessRules.IsApiRoute(pattern))
        {
            await next(context);
            return;
        }

        if (IdParameters.FirstRefusal(context, endpoint) is { } badId)
        {
            await ApiProblems.Problem(StatusCodes.Status400BadRequest, badId.Field, badId.Reason).ExecuteAsync(context);
            return;
        }

        var rule = ApiAccessRules.For(context.Request.Method, pattern);
        if (rule.Policy is null)
        {
            await next(context);
            return;
        }

        var user = SignedInUser.From(context.User);
        if (user is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteProblemAsync(context, StatusCodes.Status401Unauthorized, "Sign in first", "This endpoint needs a signed-in user (a session cookie or a bearer token).");
            return;
        }

        var verdict = await authorization.AuthorizeAsync(context.User, rule.Policy);
        var refusal = !verdict.Succeeded
            ? $"Your role '{user.Role}' may not do this."
            : await ScopeRefusalAsync(context, endpoint, rule.Scope, user);
        if (refusal is not null)
        {
            await WriteProblemAsync(context, StatusCodes.Status403Forbidden, "Not allowed", refusal);
            return;
        }

        await next(context);
    }

    private static async Task<string?> ScopeRefusalAsync(HttpContext context, RouteEndpoint endpoint, AccessScope scope, SignedInUser user)
    {
        if (scope == AccessScope.None || user.IsManagement)
        {
            return null;
        }

        if (user.AgentId is not { } self)
        {
            return "Your user is not linked to an agent.";
        }

        // Fail closed: a scoped route whose id cannot be read is refused, never waved through as "no id".
        if (FirstRouteId(context, endpoint) is not { } id)
        {
            return "The id in the path could not be read.";
        }

        var cancellationToken = context.RequestAborted;
        switch (scope)
        {
            case AccessScope.AgentSelf:
                return id == self ? null : "An agent can act only as itself.";

            case AccessScope.AgentSelfInCampaign:
                if (id != self)
                {
                    return "An agent can act only as itself.";
                }

                if (!context.Request.Query.TryGetValue("campaignId", out var campaignText))
                {
                    return null; // The endpoint answers 400: campaignId is required.
                }

                return CanonicalId.TryParse(campaignText.ToString(), out var campaignId)
                    ? await CampaignRefusalAsync(context, self, campaignId, cancellationToken)
                    : "campaignId could not be read.";

            case AccessScope.Campaign:
                return await CampaignRefusalAsync(context, self, id, cancellationToken);

            case AccessScope.Case or AccessScope.CaseEdit:
                var caseId = id;
                if (scope == AccessScope.CaseEdit && await CaseEditRefusalAsync(context, self) is { } editRefusal)
                {
                    return editRefusal;
                }

                var cases = context.RequestServices.GetService<ICaseStore>();
                if (cases is null)
                {
                    return "Cases cannot be checked on this node.";
                }

                // An unknown case falls through to the endpoint's own 404: it reveals nothing about other campaigns.
                var record = await cases.GetAsync(caseId, cancellationToken);
                return record is null ? null : await CampaignRefusalAsync(context, self, record.CampaignId, cancellationToken);

            default:
                return "Unknown access scope.";
        }
    }

    private static async Task<string?> CaseEditRefusalAsync(HttpContext context, long self)
    {
        if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        // The endpoint reads the body again after us.
        context.Request.EnableBuffering();
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null; // The endpoint answers 400 naming what is wrong.
        }
        finally
        {
            context.Request.Body.Position = 0;
        }

        using (body)
        {
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in body.RootElement.EnumerateObject())
            {
                var isSelf = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var value) && value == self;
                switch (property.Name.ToLowerInvariant())
                {
                    case "priority" when property.Value.ValueKind != JsonValueKind.Null:
                        return "priority: only supervisors change a case's priority.";
                    case "owneragentid" when !isSelf:
                        return "ownerAgentId: an agent may only take a case as its own; supervisors set other owners.";
                    case "agentid" when !isSelf:
                        return "agentId: an agent saves a case only as itself.";
                }
            }
        }

        return null;
    }

    private static async Task<string?> CampaignRefusalAsync(HttpContext context, long agentId, long campaignId, CancellationToken cancellationToken)
    {
        var grains = context.RequestServices.GetService<IGrainFactory>();
        if (grains is null)
        {
            return "Campaign assignments cannot be checked on this node.";
        }

        // The agent grain keeps its campaigns in memory: this check runs on every Next case, so no query here.
        IReadOnlyList<long> mine;
        try
        {
            mine = await grains.GetGrain<IAgentGrain>(agentId).CampaignsAsync().WaitAsync(cancellationToken);
        }
        catch (RequestRefusedException)
        {
            return "Your user's agent no longer exists.";
        }

        return mine.Contains(campaignId) ? null : "This campaign is not one of yours.";
    }

    private static long? FirstRouteId(HttpContext context, RouteEndpoint endpoint)
    {
        var parameters = endpoint.RoutePattern.Parameters;
        if (parameters.Count == 0)
        {
            return null;
        }

        var value = context.Request.RouteValues[parameters[0].Name]?.ToString();
        return CanonicalId.TryParse(value, out var id) ? id : null;
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
