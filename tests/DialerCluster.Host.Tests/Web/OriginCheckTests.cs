using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Web;

/// <summary>
/// Writes with the session cookie must come from the site itself (issue 15.7): Origin, or Referer without one. A
/// request with a bearer token is exempt; reads are never checked.
/// </summary>
public sealed class OriginCheckTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    private const string Site = "http://localhost";

    [Fact]
    public async Task A_cookie_write_from_the_site_itself_goes_through()
    {
        using var browser = await SignedInBrowserAsync();
        using var response = await SendAsync(browser, HttpMethod.Post, "/api/agents", new { name = "From the page" }, origin: Site);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_cookie_write_with_only_a_referer_of_the_site_goes_through()
    {
        using var browser = await SignedInBrowserAsync();
        using var response = await SendAsync(browser, HttpMethod.Post, "/api/agents", new { name = "Referred" }, referer: Site + "/wall.html");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/agents", null, null)]
    [InlineData("POST", "/api/agents", "https://evil.example", null)]
    [InlineData("POST", "/api/agents", "null", null)]
    [InlineData("POST", "/api/agents", "http://localhost.evil.example", null)]
    [InlineData("POST", "/api/agents", null, "https://evil.example/page")]
    [InlineData("PUT", "/api/campaigns/1/agents/1", "https://evil.example", null)]
    [InlineData("PATCH", "/api/campaigns/1", "https://evil.example", null)]
    [InlineData("DELETE", "/api/dnc/+442079460000", "https://evil.example", null)]
    [InlineData("POST", "/api/auth/logout", "https://evil.example", null)]
    public async Task A_cookie_write_from_elsewhere_or_from_nowhere_is_a_403_naming_the_origin(string method, string path, string? origin, string? referer)
    {
        using var browser = await SignedInBrowserAsync();
        using var response = await SendAsync(browser, new HttpMethod(method), path, method == "DELETE" ? null : new { name = "Forged" }, origin, referer);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["origin"], problem.ProblemFields());
        await browser.GetJsonAsync("/api/auth/me");
    }

    [Fact]
    public async Task The_cookie_sign_in_itself_must_come_from_the_site()
    {
        using var elsewhere = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var forged = await SendAsync(elsewhere, HttpMethod.Post, "/api/auth/login", Admin(), origin: "https://evil.example");
        using var fromSite = await SendAsync(elsewhere, HttpMethod.Post, "/api/auth/login", Admin(), origin: Site);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.False(forged.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, fromSite.StatusCode);
    }

    [Fact]
    public async Task A_bearer_write_needs_no_origin_even_with_a_cookie_beside_it()
    {
        using var browser = await SignedInBrowserAsync();
        using var admin = await factory.AdminAsync();
        browser.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;

        using var response = await SendAsync(browser, HttpMethod.Post, "/api/agents", new { name = "From a script" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Reads_with_the_cookie_are_not_checked()
    {
        using var browser = await SignedInBrowserAsync();
        using var response = await SendAsync(browser, HttpMethod.Get, "/api/campaigns", null, origin: "https://evil.example");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static object Admin() => new { userName = DialerHostFactory.AdminUser, password = DialerHostFactory.AdminPassword };

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await SendAsync(browser, HttpMethod.Post, "/api/auth/login", Admin(), origin: Site);
        login.EnsureSuccessStatusCode();
        return browser;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string? origin = null, string? referer = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (referer is not null)
        {
            request.Headers.Referrer = new Uri(referer);
        }

        return client.SendAsync(request);
    }
}
