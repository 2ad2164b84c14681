using System.Globalization;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Audit;
using DialerCluster.Host.Auth;
using DialerCluster.Host.Ids;

namespace DialerCluster.Host.Api;

internal static class CaseEndpoints
{
    public const int MaxPageSize = 500;
    public const int MaxContactIds = 100_000;

    public static RouteGroupBuilder MapCases(this RouteGroupBuilder api)
    {
        var ofCampaign = api.MapGroup("/campaigns/{id}/cases").WithTags("Cases");
        ofCampaign.MapPost("/", CreateAsync).WithName("CreateCases");
        ofCampaign.MapGet("/", ListAsync).WithName("ListCases");

        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapGet("/{id}", GetAsync).WithName("GetCase");
        cases.MapPatch("/{id}", ChangeAsync).WithName("ChangeCase");
        return cases;
    }

    private static async Task<IResult> CreateAsync(
        long id,
        CreateCasesBody body,
        IGrainFactory grains,
        ICampaignStore campaigns,
        IAgentStore agents,
        IContactStore contacts,
        ICaseStore cases,
        AuditTrail audit,
        HttpContext http,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await campaigns.GetAsync(id, cancellationToken) is not { } campaign)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no campaign with id {id}");
        }

        var sources = (body.ContactGroupId is null ? 0 : 1) + (body.ContactIds is null ? 0 : 1) + (body.Contact is null ? 0 : 1);
        if (sources != 1)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, [
                new FieldError("contactGroupId", "give exactly one of contactGroupId, contactIds or contact"),
                new FieldError("contactIds", "give exactly one of contactGroupId, contactIds or contact"),
                new FieldError("contact", "give exactly one of contactGroupId, contactIds or contact"),
            ]);
        }

        if (body.OwnerAgentId is { } owner && await agents.GetAsync(owner, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "ownerAgentId", $"no agent with id {owner}");
        }

        IReadOnlyList<long> contactIds;
        if (body.ContactGroupId is { } groupId)
        {
            if (!await contacts.GroupExistsAsync(groupId, cancellationToken))
            {
                return ApiProblems.Problem(StatusCodes.Status404NotFound, "contactGroupId", $"no contact group with id {groupId}");
            }

            contactIds = await contacts.ContactIdsInGroupAsync(groupId, cancellationToken);
        }
        else if (body.ContactIds is { } ids)
        {
            if (ids.Count == 0 || ids.Count > MaxContactIds)
            {
                return ApiProblems.Problem(StatusCodes.Status400BadRequest, "contactIds", $"must list between 1 and {MaxContactIds} contact ids");
            }

            contactIds = ids;
        }
        else
        {
            var c = body.Contact!;
            var phones = new List<string>();
            if (!string.IsNullOrWhiteSpace(c.Phone))
            {
                phones.Add(c.Phone);
            }

            phones.AddRange(c.Phones?.Where(p => !string.IsNullOrWhiteSpace(p)) ?? []);
            var (draft, errors) = HandEnteredContact.Build(
                "contact", c.Name, phones, c.Email, c.Company, c.Address, c.TimeZone, c.Country, c.DefaultCountry, c.Attributes);
            if (draft is null)
            {
                return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, errors);
            }

            contactIds = [await contacts.FindOrAddAsync(draft, cancellationToken)];
        }

        var created = await cases.CreateCasesAsync(
            id, contactIds, body.Priority ?? campaign.Settings.DefaultPriority, body.OwnerAgentId, time.GetUtcNow(), cancellationToken);

        // Store first, then the campaign's index: an activation in between loads them itself, and the
        // campaign skips cases it already has.
        await grains.GetGrain<ICampaignGrain>(id).CasesCreatedAsync(created.Created);
        await audit.RecordAsync(http, "cases.create", $"campaign {id}", new { created = created.Created.Count, skipped = created.Skipped, body.ContactGroupId, body.OwnerAgentId });
        return Results.Ok(new CasesCreatedResponse(created.Created.Count, created.Skipped, created.Created.Select(c => c.CaseId).ToArray()));
    }

    private static async Task<IResult> ListAsync(
        long id,
        string? status,
        string? owner,
        string? page,
        string? pageSize,
        string? from,
        string? to,
        ICampaignStore campaigns,
        ICaseStore cases,
        CaseHolders holders,
        CancellationToken cancellationToken)
    {
        CaseStatus? wanted = null;
        if (!string.IsNullOrEmpty(status) && status != "all")
        {
            wanted = CaseStatusWire.TryParse(status, out var parsed)
                ? parsed
                : throw ApiProblems.Invalid("status", $"'{status}' is not one of all, {string.Join(", ", CaseStatusWire.All)}");
        }

        var query = new CaseQuery(
            id,
            wanted,
            ParseLong(owner, "owner"),
            ParseTime(from, "from"),
            ParseTime(to, "to"),
            ParseInt(page, "page", 1, int.MaxValue) ?? 1,
            ParseInt(pageSize, "pageSize", 1, MaxPageSize) ?? 50);
        if (await campaigns.GetAsync(id, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "id", $"no campaign with id {id}");
        }

        var result = await cases.ListAsync(query, cancellationToken);
        var items = new CaseSummaryResponse[result.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = CaseSummaryResponse.From(result.Items[i], await holders.HolderAsync(result.Items[i].HolderAgentId, cancellationToken));
        }

        return Results.Ok(new CasePageResponse(items, result.Total, result.Page, result.PageSize));
    }

    private static async Task<IResult> GetAsync(
        long id, HttpContext http, IGrainFactory grains, IAgentStore agents, CaseHolders holders, CancellationToken cancellationToken)
    {
        var details = await grains.GetGrain<ICaseGrain>(id).DetailsAsync();
        var names = await ActorNames.ResolveAsync(ActivityResponse.Named(details.Activities), agents, http.RequestServices.GetService<IUserStore>(), cancellationToken);
        http.Response.Headers.ETag = CaseVersions.ETag(details.Case.Version);
        return Results.Ok(CaseDetailsResponse.From(details, await holders.HolderAsync(details.Case.HolderAgentId, cancellationToken), names));
    }

    /// <summary>
    /// A save based on the version the client read (If-Match, or "version" in the body; see <see cref="CaseVersions"/>):
    /// refused when someone saved the case since, carried onto the current version when only the dialer touched it.
    /// </summary>
    private static async Task<IResult> ChangeAsync(
        long id,
        CasePatchBody body,
        HttpContext http,
        IGrainFactory grains,
        IAgentStore agents,
        ICaseStore cases,
        CaseHolders holders,
        CancellationToken cancellationToken)
    {
        // An agent saves as itself: its own id is the editing agent, whatever the body says.
        var user = SignedInUser.From(http.User);
        var editor = user is { IsManagement: false, AgentId: { } self } ? self : body.AgentId;
        var patch = body.ToPatch(user?.UserName ?? (editor is { } agent ? GrainKeys.Of(agent) : "api")) with { EditingAgentId = editor };
        if (patch.ChangeOwner && patch.OwnerAgentId is { } owner && await agents.GetAsync(owner, cancellationToken) is null)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "ownerAgentId", $"no agent with id {owner}");
        }

        // A malformed request is refused first; then an unknown case is a 404; only then is a version asked of it.
        var caseGrain = grains.GetGrain<ICaseGrain>(id);
        var current = (await caseGrain.ViewAsync()).Case;
        var (based, refusal) = CaseVersions.Read(http.Request, body.Version, id);
        if (based is not { } from)
        {
            return refusal!;
        }

        return await SaveAsync(id, patch, from, current, http, grains, agents, cases, holders, cancellationToken);
    }

    /// <summary>
    /// Saves <paramref name="patch"/> over the version the client read (<paramref name="from"/>), as PATCH and the
    /// supervisor's reassign do: 412/409 naming the changes since when someone saved the case meanwhile.
    /// </summary>
    internal static async Task<IResult> SaveAsync(
        long id,
        CasePatch patch,
        BaseVersion from,
        CaseRecord current,
        HttpContext http,
        IGrainFactory grains,
        IAgentStore agents,
        ICaseStore cases,
        CaseHolders holders,
        CancellationToken cancellationToken)
    {
        var caseGrain = grains.GetGrain<ICaseGrain>(id);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                current = (await caseGrain.ViewAsync()).Case;
            }

            if (current.Version != from.Version)
            {
                var edits = CaseVersions.EditsSince(await cases.ActivitiesAsync(id, cancellationToken), from.Version);
                if (edits.Count > 0 || from.Version > current.Version)
                {
                    var names = await ActorNames.ResolveAsync(edits.Select(e => e.Activity.By), agents, http.RequestServices.GetService<IUserStore>(), cancellationToken);
                    return CaseVersions.Conflict(from, current, edits, names);
                }
            }

            try
            {
                // Through the campaign, so its queue takes the new status, callback, priority and owner.
                var saved = await grains.GetGrain<ICampaignGrain>(current.CampaignId).ChangeCaseAsync(id, patch with { ExpectedVersion = current.Version });
                http.Response.Headers.ETag = CaseVersions.ETag(saved.Version);
                return Results.Ok(CaseResponse.From(saved, await holders.HolderAsync(saved.HolderAgentId, cancellationToken)));
            }
            catch (RequestRefusedException stale) when (attempt < 3 && stale is { Refusal: Refusal.Conflict, Errors: [{ Field: "version" }] })
            {
                // Held, released or saved between our read and the save: look again at what changed.
            }
        }
    }

    private static long? ParseLong(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : CanonicalId.TryParse(text, out var value) ? value
        : throw ApiProblems.Invalid(field, CanonicalId.Refusal(text));

    private static int? ParseInt(string? text, string field, int min, int max) =>
        string.IsNullOrEmpty(text) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw ApiProblems.Invalid(field, $"'{text}' must be a whole number from {min} to {max}");

    private static DateTimeOffset? ParseTime(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw ApiProblems.Invalid(field, $"'{text}' is not a date and time (ISO 8601)");
}
