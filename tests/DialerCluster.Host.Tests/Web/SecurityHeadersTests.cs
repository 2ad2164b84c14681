using System.Net;
using System.Text.RegularExpressions;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Host.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Web;

/// <summary>Hardening headers on every page and API answer, pages that need no inline script or style, and Secure cookies over HTTPS (issue 15.10).</summary>
public sealed partial class SecurityHeadersTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var page in Directory.GetFiles(WebRoot(), "*.html").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add("/" + page);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_is_served_with_the_hardening_headers(string page)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertHardened(response);
    }

    [Theory]
    [InlineData("/api/campaigns", true)]
    [InlineData("/api/campaigns", false)]
    [InlineData("/api/no-such-thing", true)]
    [InlineData("/healthz", false)]
    [InlineData("/js/api.js", false)]
    public async Task Api_answers_errors_and_assets_carry_them_too(string path, bool signedIn)
    {
        using var client = signedIn ? await factory.AdminAsync() : factory.CreateClient();
        using var response = await client.GetAsync(path);
        AssertHardened(response);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void No_page_needs_inline_script_style_or_event_handlers(string page)
    {
        var html = File.ReadAllText(Path.Combine(WebRoot(), page.TrimStart('/')));
        Assert.Empty(InlineScript().Matches(html).Select(m => m.Value));
        Assert.Empty(StyleAttribute().Matches(html).Select(m => m.Value));
        Assert.Empty(StyleElement().Matches(html).Select(m => m.Value));
        Assert.Empty(EventHandler().Matches(html).Select(m => m.Value));
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_session_cookie_is_secure_over_https_and_only_then_by_default()
    {
        var overHttps = await SessionCookieAsync(factory, "https://localhost");
        var overHttp = await SessionCookieAsync(factory, "http://localhost");

        Assert.Contains("secure", overHttps, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", overHttp, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", overHttps, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", overHttps, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_the_cookie_can_be_made_secure_always()
    {
        await using var behindProxy = factory.WithWebHostBuilder(b => b.UseSetting("Auth:CookieSecure", "Always"));
        Assert.Contains("secure", await SessionCookieAsync(behindProxy, "http://localhost"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Https_answers_tell_the_browser_to_stay_on_https()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var response = await client.GetAsync("/login.html");
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    private static void AssertHardened(HttpResponseMessage response)
    {
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    private static async Task<string> SessionCookieAsync(WebApplicationFactory<Program> host, string site)
    {
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(site), HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { userName = DialerHostFactory.AdminUser, password = DialerHostFactory.AdminPassword }),
        };
        request.Headers.Add("Origin", site);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dialer.session=", StringComparison.Ordinal));
    }

    /// <summary>The host's wwwroot in the source tree (the test host serves the same files).</summary>
    private static string WebRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DialerCluster.sln")))
        {
            folder = folder.Parent;
        }

        return Path.Combine(folder?.FullName ?? throw new DirectoryNotFoundException("DialerCluster.sln not found above the test folder"), "src", "DialerCluster.Host", "wwwroot");
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"<style[\s>]", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElement();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();
}
