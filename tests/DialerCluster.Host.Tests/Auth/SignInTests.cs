using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Auth;

/// <summary>Cookie sign-in for the pages, bearer tokens for API clients, users and their passwords.</summary>
public sealed class SignInTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task The_first_admin_comes_from_configuration_and_gets_a_bearer_token()
    {
        using var client = factory.CreateClient();
        var token = await client.PostAsync("/api/auth/token", new { userName = DialerApiFactory.AdminUser, password = DialerApiFactory.AdminPassword });
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("accessToken").GetString()));
        Assert.True(token.GetProperty("expiresIn").GetInt64() > 0);

        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        var me = await client.GetJsonAsync("/api/auth/me");
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("admin", "wrong-password")]
    [InlineData("nobody-here", "admin-pass-for-tests")]
    [InlineData("", "")]
    public async Task A_wrong_user_name_or_password_gets_no_token_and_no_hint_which(string userName, string password)
    {
        using var client = factory.CreateClient();
        var problem = await client.PostAsync("/api/auth/token", new { userName, password }, HttpStatusCode.Unauthorized);
        Assert.Equal("Unknown user name or wrong password.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_page_session_is_a_cookie_that_sign_out_ends()
    {
        using var admin = await factory.AdminAsync();
        await admin.PostAsync("/api/users", new { userName = "cookie-sup", password = "cookie-pass-1", role = "supervisor" }, HttpStatusCode.Created);

        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        browser.DefaultRequestHeaders.Add("Origin", "http://localhost");
        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = "cookie-sup", password = "cookie-pass-1" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dialer.session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        Assert.Equal("supervisor", (await browser.GetJsonAsync("/api/auth/me")).GetProperty("role").GetString());
        await browser.GetJsonAsync("/api/monitor");

        await browser.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/api/auth/logout");
        await browser.ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Get, "/api/monitor");
    }

    [Fact]
    public async Task An_agent_user_carries_its_agent_and_campaigns()
    {
        using var admin = await factory.AdminAsync();
        var campaign = (await admin.PostAsync("/api/campaigns", new { name = "Agent's own" }, HttpStatusCode.Created)).Id();
        var agent = (await admin.PostAsync("/api/agents", new { name = "Mira" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{agent}");
        var created = await admin.PostAsync("/api/users", new { userName = "mira", password = "mira-pass-1", role = "agent", agentId = agent }, HttpStatusCode.Created);
        Assert.Equal(agent, created.GetProperty("agentId").GetInt64());

        using var mira = await factory.SignedInAsync("mira", "mira-pass-1");
        var me = await mira.GetJsonAsync("/api/auth/me");
        Assert.Equal(("agent", agent, "Mira"), (me.GetProperty("role").GetString(), me.GetProperty("agentId").GetInt64(), me.GetProperty("agentName").GetString()));
        Assert.Equal([campaign], me.GetProperty("campaignIds").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task Passwords_are_stored_as_salted_hashes_never_as_given()
    {
        using var admin = await factory.AdminAsync();
        await admin.PostAsync("/api/users", new { userName = "hash-a", password = "same-password-1", role = "supervisor" }, HttpStatusCode.Created);
        await admin.PostAsync("/api/users", new { userName = "hash-b", password = "same-password-1", role = "supervisor" }, HttpStatusCode.Created);

        var users = factory.Services.GetRequiredService<IUserStore>();
        var a = await users.FindByNameKeyAsync("hash-a", CancellationToken.None);
        var b = await users.FindByNameKeyAsync("hash-b", CancellationToken.None);
        Assert.DoesNotContain("same-password-1", a!.PasswordHash, StringComparison.Ordinal);
        Assert.NotEqual(a.PasswordHash, b!.PasswordHash);
    }

    public static TheoryData<string, string[]> BadUsers => new()
    {
        { """{"password":"long-enough-1","role":"supervisor"}""", ["userName"] },
        { """{"userName":"short","password":"abc","role":"supervisor"}""", ["password"] },
        { """{"userName":"boss","password":"long-enough-1","role":"boss"}""", ["role"] },
        { """{"userName":"lonely-agent","password":"long-enough-1","role":"agent"}""", ["agentId"] },
        { """{"userName":"sup-with-agent","password":"long-enough-1","role":"supervisor","agentId":1}""", ["agentId"] },
        { """{"userName":"ghost","password":"long-enough-1","role":"agent","agentId":987654}""", ["agentId"] },
        { """{}""", ["userName", "password", "role"] },
    };

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task A_bad_new_user_is_refused_with_each_bad_field_named(string body, string[] fields)
    {
        using var admin = await factory.AdminAsync();
        var (status, problem) = await admin.SendAsync(HttpMethod.Post, "/api/users", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(fields, problem.ProblemFields());
    }

    [Fact]
    public async Task A_taken_user_name_is_a_conflict()
    {
        using var admin = await factory.AdminAsync();
        await admin.PostAsync("/api/users", new { userName = "twice", password = "long-enough-1", role = "supervisor" }, HttpStatusCode.Created);
        var problem = await admin.PostAsync("/api/users", new { userName = "twice", password = "other-pass-1", role = "admin" }, HttpStatusCode.Conflict);
        Assert.Equal(["userName"], problem.ProblemFields());
    }

    [Fact]
    public async Task An_unauthenticated_api_call_says_how_to_sign_in()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/api/campaigns");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }
}
