using System.Globalization;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Audit;
using DialerCluster.Host.Auth;
using DialerCluster.Host.Imports;
using Microsoft.AspNetCore.Http.Features;

namespace DialerCluster.Host.Api;

public sealed record RejectedRowResponse(int Row, string Field, string Reason);

/// <summary>
/// What an import did. <see cref="GroupId"/> is null when no row was left to import (no empty group is made; <see cref="Note"/>
/// says why). <see cref="Rejected"/> lists the first refusals only: <see cref="RejectedNotShown"/> more are in the CSV
/// file at <see cref="RejectedCsv"/>, kept for a while for the user who imported.
/// </summary>
public sealed record ImportResponse(
    string ImportId,
    long? GroupId,
    int Imported,
    int RejectedRows,
    IReadOnlyList<RejectedRowResponse> Rejected,
    int RejectedNotShown,
    string? RejectedCsv,
    string? Note);

internal static class ContactEndpoints
{
    public const int GroupNameMaxLength = 200;

    // The multipart envelope around the file (boundaries, the name and country fields).
    private const int FormOverhead = 64 * 1024;

    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/contact-groups").WithTags("Contacts");
        groups.MapPost("/import", ImportAsync).WithName("ImportContacts")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportResponse>();
        groups.MapGet("/imports/{importId}/rejected.csv", RejectedCsvAsync).WithName("ImportRejectedRows")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return groups;
    }

    /// <summary>
    /// Reads the whole file first (a file-level problem stops here, with nothing written), drops rows whose
    /// phone already belongs to a contact, then stores the group and its contacts in one transaction.
    /// </summary>
    private static async Task<IResult> ImportAsync(
        HttpRequest request,
        ContactImportReader reader,
        ImportSettings limits,
        IContactStore contacts,
        IImportRejectionStore rejections,
        LiveBoard board,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        DialerMetrics metrics,
        AuditTrail audit,
        CancellationToken cancellationToken)
    {
        using var span = DialerTracing.Request("import");
        if (!request.HasFormContentType)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "file", "send multipart/form-data with fields file, name and optionally defaultCountry");
        }

        // The upload's own limit instead of the server-wide one, refused before the file is read when the size is announced.
        var bodyLimit = limits.MaxFileBytes + FormOverhead;
        if (request.ContentLength > bodyLimit)
        {
            return TooLarge(limits);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = bodyLimit;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limits.MaxFileBytes }, cancellationToken);
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            || (ex is InvalidDataException && ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
        {
            // A body sent without its length: the server's or the form reader's limit stopped it part way.
            return TooLarge(limits);
        }

        var file = form.Files.GetFile("file");
        var name = form["name"].ToString().Trim();
        var errors = new List<Dialing.Cases.FieldError>();
        if (file is null)
        {
            errors.Add(new("file", "is required: the .csv or .xlsx file to import"));
        }

        if (name.Length == 0)
        {
            errors.Add(new("name", "is required: the contact group's name"));
        }
        else if (name.Length > GroupNameMaxLength)
        {
            errors.Add(new("name", $"must be at most {GroupNameMaxLength} characters"));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, errors);
        }

        if (file!.Length > limits.MaxFileBytes)
        {
            return TooLarge(limits);
        }

        var defaultCountry = form["defaultCountry"].ToString();
        var importId = Guid.NewGuid().ToString("N");
        var progress = new BoardProgress(board, time, importId, name);
        try
        {
            ContactImportResult result;
            try
            {
                await using var stream = file.OpenReadStream();
                result = await reader.ReadAsync(stream, file.FileName, string.IsNullOrWhiteSpace(defaultCountry) ? null : defaultCountry, progress, cancellationToken);
            }
            catch (ContactFileException limit) when (limit.IsLimit)
            {
                return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, limit.Field, limit.Message);
            }

            var existing = await contacts.ExistingPhonesAsync(result.Phones.ToArray(), cancellationToken);
            result = result.ExcludeExisting(existing);
            var rejectedRows = result.RejectedRowCount;

            // Nothing left to import: say so rather than leave an empty group behind.
            long? groupId = result.Contacts.Count == 0 ? null
                : await contacts.ImportGroupAsync(name, result.Contacts, result.Contacts.Count + rejectedRows, rejectedRows, cancellationToken);
            var link = result.Rejected.Count == 0 ? null
                : await KeepRejectedAsync(result, importId, file.FileName, SignedInUser.From(request.HttpContext.User), limits, rejections, time, cancellationToken);
            progress.Finish(result.Contacts.Count, rejectedRows, groupId);
            metrics.ImportFinished(result.Contacts.Count, rejectedRows);
            await audit.RecordAsync(
                request.HttpContext, "contacts.import", groupId is { } group ? $"contact group {group}" : "contacts", new { name, file = file.FileName, accepted = result.Contacts.Count, rejected = rejectedRows });
            span?.SetTag("dialer.import.accepted", result.Contacts.Count);
            span?.SetTag("dialer.import.rejected", rejectedRows);
            var shown = result.Rejected.Take(limits.RejectedShown).Select(r => new RejectedRowResponse(r.Row, r.Field, r.Reason)).ToArray();
            return Results.Ok(new ImportResponse(
                importId, groupId, result.Contacts.Count, rejectedRows, shown, result.Rejected.Count - shown.Length, link, groupId is null ? NothingImported(result) : null));
        }
        finally
        {
            board.Forget(importId);
        }
    }

    /// <summary>The full list of an import's rejected rows, for the user who imported it, while it is kept.</summary>
    private static async Task<IResult> RejectedCsvAsync(string importId, HttpContext http, IImportRejectionStore rejections, TimeProvider time, CancellationToken cancellationToken)
    {
        var kept = await rejections.GetAsync(importId, time.GetUtcNow(), cancellationToken);
        if (kept is null || kept.UserName != (SignedInUser.From(http.User)?.UserName ?? Anonymous))
        {
            // Another user's import reads as no import at all.
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "importId", $"no rejected rows of import '{importId}' are kept for you (they are kept for the user who imported, for a while)");
        }

        var download = $"rejected-rows-{Path.GetFileNameWithoutExtension(kept.FileName)}.csv";
        return Results.File(System.Text.Encoding.UTF8.GetBytes(kept.Csv), "text/csv; charset=utf-8", download);
    }

    private const string Anonymous = "api";

    private static async Task<string> KeepRejectedAsync(
        ContactImportResult result,
        string importId,
        string fileName,
        SignedInUser? user,
        ImportSettings limits,
        IImportRejectionStore rejections,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await rejections.SaveAsync(
            new ImportRejections(importId, user?.UserName ?? Anonymous, fileName, result.RejectedRowCount, RejectedRowsCsv.Render(result.Rejected), now, now + limits.RejectedKept),
            cancellationToken);
        return $"/api/contact-groups/imports/{importId}/rejected.csv";
    }

    private static string NothingImported(ContactImportResult result) =>
        result.Rejected.All(r => r.Reason.StartsWith(ContactImportResult.ExistingDuplicateReason, StringComparison.Ordinal))
            ? string.Create(CultureInfo.InvariantCulture, $"Every contact in the file already exists ({result.RejectedRowCount:N0} rows), so no contact group was created.")
            : string.Create(CultureInfo.InvariantCulture, $"No row of the file could be imported ({result.RejectedRowCount:N0} rejected), so no contact group was created.");

    private static IResult TooLarge(ImportSettings limits) => ApiProblems.Problem(
        StatusCodes.Status413PayloadTooLarge,
        "file",
        $"is larger than {ImportSettings.Describe(limits.MaxFileBytes)}, the limit per upload ({ContactImportOptions.Section}:{nameof(ImportSettings.MaxFileBytes)}); split it into smaller files");

    /// <summary>Import progress onto the live wall, as it is read (synchronously: order matters, and it is cheap).</summary>
    private sealed class BoardProgress(LiveBoard board, TimeProvider time, string importId, string name) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => board.Publish(
            new ImportSnapshot(importId, name, value.RowsRead, value.Accepted, value.Rejected, value.Fraction, false, null, time.GetUtcNow()));

        public void Finish(int imported, int rejected, long? groupId) => board.Publish(
            new ImportSnapshot(importId, name, imported + rejected, imported, rejected, 1, true, groupId, time.GetUtcNow()));
    }
}
