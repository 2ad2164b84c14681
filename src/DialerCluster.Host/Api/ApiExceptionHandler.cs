using System.Text.Json;
using System.Text.RegularExpressions;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Stores;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Orleans.Runtime;
using Orleans.Storage;

namespace DialerCluster.Host.Api;

/// <summary>
/// Turns every exception into a problem document: refusals and bad input into 4xx naming the field, a
/// grain call that timed out or found its node gone into 503, anything unexpected into a bare 500 (logged, never with a
/// stack trace).
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, errors) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", httpContext.Request.Method, httpContext.Request.Path);
        }

        if (httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        var details = new ValidationProblemDetails(ApiProblems.ToDictionary(errors))
        {
            Status = status,
            Title = ApiProblems.TitleOf(status),
            Detail = ApiProblems.Detail(errors),
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = details,
            Exception = exception,
        });
    }

    internal static (int Status, IReadOnlyList<FieldError> Errors) Classify(Exception exception) => exception switch
    {
        RequestRefusedException refusal => (ApiProblems.StatusOf(refusal.Refusal), refusal.Errors),
        BadHttpRequestException bad => (bad.StatusCode, [FromBadRequest(bad)]),
        ContactFileException file => (StatusCodes.Status400BadRequest, [new FieldError(file.Field, file.Message)]),
        DuplicateKeyException duplicate => (StatusCodes.Status409Conflict, [new FieldError(duplicate.Field, duplicate.Message)]),
        InconsistentStateException stale => (StatusCodes.Status409Conflict, [new FieldError(
            "version", $"the record is at version {stale.StoredEtag ?? "(deleted)"}, not the {stale.CurrentEtag} this change was based on: reload it and try again")]),
        InvalidDataException => (StatusCodes.Status400BadRequest, [new FieldError("body", "the multipart form could not be read")]),
        TimeoutException or SiloUnavailableException or OrleansMessageRejectionException =>
            (StatusCodes.Status503ServiceUnavailable, [new FieldError("request", "the system is busy; try again")]),
        _ => (StatusCodes.Status500InternalServerError, [new FieldError("request", "an unexpected error occurred; it has been logged")]),
    };

    private static FieldError FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        // Minimal API binding messages name the parameter: Failed to bind parameter "long id" from "abc".
        var bind = BindFailure().Match(bad.Message);
        if (bind.Success)
        {
            return new FieldError(bind.Groups["name"].Value, $"'{bind.Groups["value"].Value}' is not a valid {Friendly(bind.Groups["type"].Value)}");
        }

        var missing = MissingParameter().Match(bad.Message);
        if (missing.Success)
        {
            var name = missing.Groups["name"].Value;
            return bad.Message.Contains("from body", StringComparison.Ordinal)
                ? new FieldError("body", "a JSON body is required")
                : new FieldError(name, "is required");
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new FieldError("body", "must be JSON (Content-Type: application/json)");
        }

        return new FieldError("body", bad.Message);
    }

    private static FieldError FromJson(JsonException json)
    {
        var field = FieldOf(json.Path);

        // Our converters throw with a reason of their own; the serializer's default message carries its path.
        var reason = json.Message;
        var cut = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            reason = reason[..cut];
        }

        if (reason.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            reason = "has the wrong type or format";
        }
        else if (reason.StartsWith("'", StringComparison.Ordinal) && reason.Contains("is an invalid", StringComparison.Ordinal)
            || reason.Contains("invalid start of a value", StringComparison.Ordinal)
            || reason.Contains("expected end of", StringComparison.OrdinalIgnoreCase))
        {
            reason = "is not valid JSON: " + reason;
        }

        return new FieldError(field, reason);
    }

    /// <summary>"$.retryDelays.noAnswer" → "retryDelays.noAnswer"; "$" or nothing → "body".</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        field = field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
        return field.Length == 0 ? "body" : field;
    }

    private static string Friendly(string type) => type switch
    {
        "long" or "int" or "Int64" or "Int32" or "long?" or "int?" => "whole number",
        "DateTimeOffset" or "DateTimeOffset?" => "date and time (ISO 8601)",
        _ => type,
    };

    [GeneratedRegex("Failed to bind parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial Regex BindFailure();

    [GeneratedRegex("Required parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" was not provided")]
    private static partial Regex MissingParameter();
}
