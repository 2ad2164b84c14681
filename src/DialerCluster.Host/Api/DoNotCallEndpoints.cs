using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Audit;
using DialerCluster.Host.Imports;

namespace DialerCluster.Host.Api;

public sealed record DoNotCallBody(string? Phone, string? Reason = null, string? DefaultCountry = null);

public sealed record DoNotCallResponse(string Phone, bool Added);

public sealed record DoNotCallEntryResponse(string Phone, string? Reason, DateTimeOffset AddedAt);

public sealed record DoNotCallPageResponse(IReadOnlyList<DoNotCallEntryResponse> Items, long Total, int Page, int PageSize);

/// <param name="Added">Numbers new to the list; the others were on it already and keep their entry.</param>
public sealed record DoNotCallImportResponse(int Rows, int Added, int AlreadyListed);

internal static class DoNotCallEndpoints
{
    public const int ReasonMaxLength = 500;
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapDoNotCall(this RouteGroupBuilder api)
    {
        var dnc = api.MapGroup("/dnc").WithTags("Do not call");
        dnc.MapGet("/", ListAsync).WithName("ListDoNotCall");
        dnc.MapPost("/", AddAsync).WithName("AddDoNotCall");
        dnc.MapDelete("/{phone}", RemoveAsync).WithName("RemoveDoNotCall");
        dnc.MapGet("/entries", SearchAsync).WithName("SearchDoNotCall")
            .WithSummary("Entries whose number or reason contains the search text, by number.")
            .Produces<DoNotCallPageResponse>();
        dnc.MapPost("/import", ImportAsync).WithName("ImportDoNotCall")
            .WithSummary("A .csv or .xlsx with a phone column (and optionally a reason): every number or none; each bad row is named.")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<DoNotCallImportResponse>();
        return dnc;
    }

    private static async Task<IResult> ListAsync(IDoNotCallStore store, CancellationToken cancellationToken) =>
        Results.Ok((await store.AllAsync(cancellationToken)).Order(StringComparer.Ordinal).ToArray());

    private static async Task<IResult> AddAsync(DoNotCallBody body, DoNotCallRegistry registry, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Phone))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "phone", "is required");
        }

        if (!PhoneNumber.TryNormalize(body.Phone, body.DefaultCountry, out var e164, out var reason))
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "phone", $"'{body.Phone}' is not a phone number: {reason}");
        }

        if (body.Reason is { Length: > ReasonMaxLength })
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "reason", $"must be at most {ReasonMaxLength} characters");
        }

        var added = await registry.AddAsync(e164, body.Reason, CancellationToken.None);
        if (added)
        {
            await audit.RecordAsync(http, "dnc.add", e164, new { reason = body.Reason });
        }

        var response = new DoNotCallResponse(e164, added);
        return added ? Results.Created($"/api/dnc/{Uri.EscapeDataString(e164)}", response) : Results.Ok(response);
    }

    private static async Task<IResult> RemoveAsync(string phone, DoNotCallRegistry registry, AuditTrail audit, HttpContext http, CancellationToken cancellationToken)
    {
        if (!PhoneNumber.TryNormalize(phone, null, out var e164, out var reason))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "phone", $"'{phone}' is not an international phone number (+CC…): {reason}");
        }

        if (!await registry.RemoveAsync(e164, CancellationToken.None))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "phone", $"{e164} is not on the do-not-call list");
        }

        await audit.RecordAsync(http, "dnc.remove", e164);
        return Results.NoContent();
    }

    private static async Task<IResult> SearchAsync(string? search, string? page, string? pageSize, IDoNotCallStore store, CancellationToken cancellationToken)
    {
        var result = await store.SearchAsync(
            search,
            QueryValues.Int(page, "page", 1, int.MaxValue) ?? 1,
            QueryValues.Int(pageSize, "pageSize", 1, MaxPageSize) ?? 50,
            cancellationToken);
        return Results.Ok(new DoNotCallPageResponse(
            result.Items.Select(e => new DoNotCallEntryResponse(e.Phone, e.Reason, e.AddedAt)).ToArray(), result.Total, result.Page, result.PageSize));
    }

    /// <summary>
    /// Reads the whole file first; any bad row refuses the import (422 naming each row) with nothing added, so a list is
    /// never half-imported. The numbers are blocked for dialing as the write starts.
    /// </summary>
    private static async Task<IResult> ImportAsync(
        HttpRequest request,
        DoNotCallRegistry registry,
        ImportSettings limits,
        AuditTrail audit,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "file", "send multipart/form-data with fields file and optionally defaultCountry and reason");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile("file") is not { } file)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "file", "is required: the .csv or .xlsx file of numbers");
        }

        var defaultReason = form["reason"].ToString().Trim();
        if (defaultReason.Length > DoNotCallFileReader.ReasonMaxLength)
        {
            return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "reason", $"must be at most {DoNotCallFileReader.ReasonMaxLength} characters");
        }

        DoNotCallFile read;
        try
        {
            await using var stream = file.OpenReadStream();
            var country = form["defaultCountry"].ToString();
            read = await new DoNotCallFileReader(limits.Reader).ReadAsync(
                stream, file.FileName, string.IsNullOrWhiteSpace(country) ? null : country, defaultReason.Length == 0 ? null : defaultReason, time.GetUtcNow(), cancellationToken);
        }
        catch (ContactFileException limit) when (limit.IsLimit)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, limit.Field, limit.Message);
        }

        if (read.Rejected.Count > 0)
        {
            return Results.ValidationProblem(
                ApiProblems.ToDictionary(read.Rejected.Select(r => new FieldError($"rows[{r.Row}].{r.Field}", r.Reason))),
                detail: $"{read.Rejected.Count} of {read.Rows} rows cannot be listed; nothing was imported. Correct them and import the file again.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: ApiProblems.TitleOf(StatusCodes.Status422UnprocessableEntity),
                extensions: new Dictionary<string, object?> { ["rejected"] = read.Rejected.Select(r => new RejectedRowResponse(r.Row, r.Field, r.Reason)).ToArray() });
        }

        var added = await registry.ImportAsync(read.Entries, CancellationToken.None);
        await audit.RecordAsync(request.HttpContext, "dnc.import", "dnc", new { file = file.FileName, rows = read.Rows, added });
        return Results.Ok(new DoNotCallImportResponse(read.Rows, added, read.Entries.Count - added));
    }
}
