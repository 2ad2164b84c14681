using DialerCluster.Host.Api;
using DialerCluster.Host.Auth;

namespace DialerCluster.Host.Web;

/// <summary>
/// Cross-site request forgery defence for the pages' session cookie (issue 15.7): a state-changing request (POST,
/// PUT, PATCH, DELETE) that would be authenticated by the cookie, and the cookie sign-in itself, must come from the
/// host's own origin (or one of <see cref="AuthOptions.AllowedOrigins"/>), shown by its Origin header or, without
/// one, its Referer. Otherwise 403 with a problem naming "origin". Requests with a bearer token are exempt: a
/// browser never adds one by itself, so a forged request cannot carry it. SameSite=Strict stays as a second line.
/// </summary>
internal sealed class OriginCheck(RequestDelegate next, AuthOptions options)
{
    public const string SessionCookie = "dialer.session";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || IsBearer(request)
            || !(request.Cookies.ContainsKey(SessionCookie) || IsCookieSignIn(request)))
        {
            return next(context);
        }

        var origin = OriginOf(request);
        if (origin is not null && (Same(origin, request) || options.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        var reason = origin is null
            ? "is missing: a write with the session cookie must carry the Origin (or Referer) of this site"
            : $"'{origin}' is not this site: a write with the session cookie must come from the site's own pages";
        return ApiProblems.Problem(StatusCodes.Status403Forbidden, "origin", reason).ExecuteAsync(context);
    }

    private static bool IsBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static bool IsCookieSignIn(HttpRequest request) =>
        request.Path.Equals("/api/auth/login", StringComparison.OrdinalIgnoreCase);

    /// <summary>scheme://host[:port] of the Origin header, else of the Referer; null when neither is usable ("null" included).</summary>
    private static string? OriginOf(HttpRequest request)
    {
        var text = request.Headers.Origin.ToString();
        if (text.Length == 0)
        {
            text = request.Headers.Referer.ToString();
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
    }

    private static bool Same(string origin, HttpRequest request) =>
        Uri.TryCreate($"{request.Scheme}://{request.Host}", UriKind.Absolute, out var self)
        && string.Equals(origin, self.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
