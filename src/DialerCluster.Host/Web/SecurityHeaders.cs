using DialerCluster.Host.Cluster;

namespace DialerCluster.Host.Web;

/// <summary>
/// Hardening headers on every answer, pages and API alike (issue 15.10). The pages load their scripts and styles
/// from their own origin only, with no inline script or style (a test keeps wwwroot that way), so the policy
/// allows nothing else: an injected script or style has nowhere to come from. Framing is refused (clickjacking),
/// MIME sniffing is off, a Referer leaves only for the host itself, and HTTPS answers tell browsers to stay on HTTPS.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Orleans dashboard's pages (a packaged app, not ours) set style attributes as they draw; its scripts are its
    /// own files like ours. So there, and only there, inline styles are allowed; inline script never is.
    /// </summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(
            static state =>
            {
                var http = (HttpContext)state;
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments(OrleansDashboardExtensions.Path)
                    ? DashboardContentSecurityPolicy
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }

                return Task.CompletedTask;
            },
            context);
        return next(context);
    });
}
