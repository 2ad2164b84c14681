using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;
using DialerCluster.Dialing.Stores;
using Microsoft.Net.Http.Headers;

namespace DialerCluster.Host.Api;

/// <summary>The version a case save was based on, and where the client sent it.</summary>
internal readonly record struct BaseVersion(long Version, bool FromIfMatch)
{
    /// <summary>The field a refusal names: the header, or the body's property.</summary>
    public string Field => FromIfMatch ? HeaderNames.IfMatch : "version";
}

/// <summary>
/// Optimistic concurrency for case saves (issue 15: two saves without a version both succeeded and the last one won
/// silently). GET /api/cases/{id} sends the version as a strong ETag ("7"); PATCH must send it back in If-Match (or as
/// "version" in the body). Missing: 428. Stale because someone saved the case since: 412 (If-Match) or 409 (body),
/// naming what changed, who changed it and when, from the history lines that save left. Stale only because the
/// dialer held or released the case (attempts, holder): nothing a save writes was touched, so the save goes ahead.
/// </summary>
internal static class CaseVersions
{
    public static string ETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>The base version from If-Match or the body; otherwise the refusal to send (400 malformed, 428 missing).</summary>
    public static (BaseVersion? Version, IResult? Refusal) Read(HttpRequest request, long? bodyVersion, long caseId)
    {
        var ifMatch = request.Headers.IfMatch;
        long? fromHeader = null;
        if (ifMatch.Count > 0)
        {
            var text = ifMatch.ToString().Trim();
            if (text.Length < 3 || text[0] != '"' || text[^1] != '"'
                || !long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return (null, ApiProblems.Problem(
                    StatusCodes.Status400BadRequest, HeaderNames.IfMatch, $"'{text}' is not the case's ETag: send the one ETag GET /api/cases/{caseId} gave, e.g. \"7\" (a list, * or a weak tag cannot guard a save)"));
            }

            fromHeader = parsed;
        }

        if (bodyVersion is < 1)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "version", $"{bodyVersion} is not a version: send the one GET /api/cases/{caseId} gave"));
        }

        if (fromHeader is { } header && bodyVersion is { } body && header != body)
        {
            return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, "version", $"is {body} but If-Match says {header}: send one version"));
        }

        if ((fromHeader ?? bodyVersion) is not { } version)
        {
            return (null, ApiProblems.Problem(
                StatusCodes.Status428PreconditionRequired,
                HeaderNames.IfMatch,
                $"is required: send the ETag of GET /api/cases/{caseId} in If-Match (or its version as \"version\" in the body), so that a save never overwrites a change you have not seen"));
        }

        return (new BaseVersion(version, fromHeader is not null), null);
    }

    /// <summary>The saved changes (PATCH) made after <paramref name="version"/>, oldest first: empty when only the dialer touched the case since.</summary>
    public static IReadOnlyList<StoredActivity> EditsSince(IEnumerable<StoredActivity> history, long version) =>
        history.Where(a => a.CaseVersion > version).OrderBy(a => a.CaseVersion).ThenBy(a => a.Id).ToArray();

    /// <summary>412 or 409 naming each change since the client's version (or a version the case never had), who made it and when; the current version is in the body too.</summary>
    public static IResult Conflict(BaseVersion based, CaseRecord current, IReadOnlyList<StoredActivity> edits, IReadOnlyDictionary<string, string> names)
    {
        var saves = edits.GroupBy(e => e.CaseVersion!.Value).Select(save => Describe(save.ToArray(), names)).ToArray();
        var reason = based.Version > current.Version
            ? string.Create(CultureInfo.InvariantCulture, $"the case is at version {current.Version}; version {based.Version} does not exist. Nothing was saved: reload the case and apply your changes to it again")
            : string.Create(
                CultureInfo.InvariantCulture,
                $"the case changed after your version {based.Version} (it is now at version {current.Version}): {string.Join("; ", saves)}. Nothing was saved: reload the case and apply your changes to it again");
        var changes = edits.Select(e => new EditResponse(
            e.CaseVersion!.Value, e.Activity.At, e.Activity.By, names.GetValueOrDefault(e.Activity.By, e.Activity.By), e.Activity.Kind, Fields(e.Activity), e.Activity.FromStatus, e.Activity.ToStatus)).ToArray();
        var status = based.FromIfMatch ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status409Conflict;
        return Results.ValidationProblem(
            ApiProblems.ToDictionary([new FieldError(based.Field, reason)]),
            detail: reason,
            statusCode: status,
            title: ApiProblems.TitleOf(status),
            extensions: new Dictionary<string, object?> { ["currentVersion"] = current.Version, ["changes"] = changes });
    }

    /// <summary>"status new → in_acquisition, nextContactAt, note by Bruno Costa at 2025-03-10 10:42:07 UTC".</summary>
    private static string Describe(StoredActivity[] save, IReadOnlyDictionary<string, string> names)
    {
        var what = new StringBuilder();
        foreach (var line in save)
        {
            foreach (var field in Fields(line.Activity))
            {
                what.Append(what.Length == 0 ? "" : ", ").Append(field);
            }

            if (line.Activity is { Kind: CaseActivityKind.StatusChanged, FromStatus: { } from, ToStatus: { } to })
            {
                what.Append(CultureInfo.InvariantCulture, $" {from.ToWire()} → {to.ToWire()}");
            }
        }

        var first = save[0].Activity;
        return string.Create(CultureInfo.InvariantCulture, $"{what} by {names.GetValueOrDefault(first.By, first.By)} at {first.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
    }

    private static IReadOnlyList<string> Fields(CaseActivity activity) => activity.Kind switch
    {
        CaseActivityKind.StatusChanged => ["status"],
        CaseActivityKind.Note => [CaseFormField.Note.ToWire()],
        CaseActivityKind.OwnerChanged => ["ownerAgentId"],
        CaseActivityKind.PriorityChanged => ["priority"],
        CaseActivityKind.FieldsChanged => activity.Details?.Split(", ", StringSplitOptions.RemoveEmptyEntries) ?? [],
        _ => [],
    };
}

/// <summary>One saved change a conflicting save did not know about.</summary>
public sealed record EditResponse(
    long Version,
    DateTimeOffset At,
    string By,
    string ByName,
    CaseActivityKind Kind,
    IReadOnlyList<string> Fields,
    CaseStatus? FromStatus,
    CaseStatus? ToStatus);
