using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using Microsoft.AspNetCore.Diagnostics;

namespace DialerCluster.Host.Api;

/// <summary>
/// Every refusal the API sends: RFC 7807 problem details (application/problem+json) with
/// <c>errors: {field: [reason, ...]}</c>, so a client always learns which field was wrong and why.
/// </summary>
internal static class ApiProblems
{
    public static int StatusOf(Refusal refusal) => refusal switch
    {
        Refusal.Invalid => StatusCodes.Status400BadRequest,
        Refusal.Forbidden => StatusCodes.Status403Forbidden,
        Refusal.NotFound => StatusCodes.Status404NotFound,
        Refusal.Conflict => StatusCodes.Status409Conflict,
        Refusal.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        Refusal.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is malformed.",
        StatusCodes.Status403Forbidden => "Not allowed.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status409Conflict => "Conflict with the current state.",
        StatusCodes.Status413PayloadTooLarge => "The request is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type.",
        StatusCodes.Status422UnprocessableEntity => "The request breaks a rule.",
        StatusCodes.Status503ServiceUnavailable => "Busy: try again.",
        _ => "The request failed.",
    };

    public static Dictionary<string, string[]> ToDictionary(IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// What went wrong in words, for clients that show one line: the title says only the kind of refusal ("Conflict with
    /// the current state."), so a client showing detail-or-title used to show nothing else (issue 15).
    /// </summary>
    public static string Detail(IEnumerable<FieldError> errors) => string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}"));

    public static IResult Problem(int status, IEnumerable<FieldError> errors)
    {
        var list = errors as IReadOnlyCollection<FieldError> ?? errors.ToArray();
        return Results.ValidationProblem(ToDictionary(list), detail: Detail(list), statusCode: status, title: TitleOf(status));
    }

    public static IResult Problem(int status, string field, string reason) => Problem(status, [new FieldError(field, reason)]);

    public static IResult Refused(RequestRefusedException refusal) => Problem(StatusOf(refusal.Refusal), refusal.Errors);

    /// <summary>
    /// A bare status from routing or the framework (no endpoint, wrong method, wrong content type) still
    /// becomes a problem document naming what was wrong.
    /// </summary>
    public static async Task WriteStatusCodePageAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var error = status switch
        {
            StatusCodes.Status404NotFound => new FieldError("path", $"no endpoint {http.Request.Path}"),
            StatusCodes.Status405MethodNotAllowed => new FieldError("method", $"{http.Request.Method} is not allowed on {http.Request.Path}"),
            StatusCodes.Status415UnsupportedMediaType => new FieldError("body", $"content type '{http.Request.ContentType}' is not accepted here"),
            _ => new FieldError("request", TitleOf(status)),
        };
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(ToDictionary([error])) { Status = status, Title = TitleOf(status), Detail = Detail([error]) },
        });
    }

    /// <summary>Throws a 400 naming the field; used while reading query strings and bodies by hand.</summary>
    public static RequestRefusedException Invalid(string field, string reason) => new(Refusal.Invalid, field, reason);
}
