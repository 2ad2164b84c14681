using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

public sealed record RejectedRowResponse(int Row, string Field, string Reason);

public sealed record ImportResponse(long GroupId, int Imported, IReadOnlyList<RejectedRowResponse> Rejected);

internal static class ContactEndpoints
{
    public const int GroupNameMaxLength = 200;

    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder api)
    {
        var groups = api.MapGroup("/contact-groups").WithTags("Contacts");
        groups.MapPost("/import", ImportAsync).WithName("ImportContacts")
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<ImportResponse>();
        return groups;
    }

    /// <summary>
    /// Reads the whole file first (a file-level problem stops here, with nothing written), drops rows whose
    /// phone already belongs to a contact, then stores the group and its contacts in one transaction.
    /// </summary>
    private static async Task<IResult> ImportAsync(
        HttpRequest request,
        ContactImportReader reader,
        IContactStore contacts,
        LiveBoard board,
        [FromKeyedServices(DialerClock.Key)] TimeProvider time,
        DialerMetrics metrics,
        CancellationToken cancellationToken)
    {
        using var span = DialerTracing.Request("import");
        if (!request.HasFormContentType)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "file", "send multipart/form-data with fields file, name and optionally defaultCountry");
        }

        var form = await request.ReadFormAsync(cancellationToken);
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

        var defaultCountry = form["defaultCountry"].ToString();
        var importId = Guid.NewGuid().ToString("N");
        var progress = new BoardProgress(board, time, importId, name);
        try
        {
            ContactImportResult result;
            await using (var stream = file!.OpenReadStream())
            {
                result = await reader.ReadAsync(stream, file.FileName, string.IsNullOrWhiteSpace(defaultCountry) ? null : defaultCountry, progress, cancellationToken);
            }

            var existing = await contacts.ExistingPhonesAsync(result.Phones.ToArray(), cancellationToken);
            result = result.ExcludeExisting(existing);
            var rejectedRows = result.RejectedRowCount;
            var groupId = await contacts.ImportGroupAsync(name, result.Contacts, result.Contacts.Count + rejectedRows, rejectedRows, cancellationToken);
            progress.Finish(result.Contacts.Count, rejectedRows, groupId);
            metrics.ImportFinished(result.Contacts.Count, rejectedRows);
            span?.SetTag("dialer.import.accepted", result.Contacts.Count);
            span?.SetTag("dialer.import.rejected", rejectedRows);
            return Results.Ok(new ImportResponse(
                groupId,
                result.Contacts.Count,
                result.Rejected.Select(r => new RejectedRowResponse(r.Row, r.Field, r.Reason)).ToArray()));
        }
        finally
        {
            board.Forget(importId);
        }
    }

    /// <summary>Import progress onto the live wall, as it is read (synchronously: order matters, and it is cheap).</summary>
    private sealed class BoardProgress(LiveBoard board, TimeProvider time, string importId, string name) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => board.Publish(
            new ImportSnapshot(importId, name, value.RowsRead, value.Accepted, value.Rejected, value.Fraction, false, null, time.GetUtcNow()));

        public void Finish(int imported, int rejected, long groupId) => board.Publish(
            new ImportSnapshot(importId, name, imported + rejected, imported, rejected, 1, true, groupId, time.GetUtcNow()));
    }
}
