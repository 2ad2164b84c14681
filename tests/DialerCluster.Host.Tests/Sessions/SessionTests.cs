using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Sessions;

/// <summary>
/// Sessions end (issue 15.6): a logout ends that session, cookie or bearer, access and refresh tokens alike; a
/// disabled, deleted or changed user's sessions end at once; a refresh rotates the refresh token. Through the real host.
/// </summary>
public sealed class SessionTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    private const string Password = "session-pass-1";

    [Fact]
    public async Task A_logout_ends_the_bearer_session_its_access_token_and_its_refresh_token()
    {
        var user = await NewUserAsync();
        var tokens = await TokensAsync(user);
        using var client = Bearer(tokens.Access);
        await client.GetJsonAsync("/api/auth/me");

        await client.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/api/auth/logout");

        await client.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        var refused = await RefreshAsync(tokens.Refresh, HttpStatusCode.Unauthorized);
        Assert.Equal(["refreshToken"], refused.ProblemFields());
    }

    [Fact]
    public async Task A_logout_ends_the_cookie_session_so_a_kept_copy_of_the_cookie_is_refused()
    {
        var user = await NewUserAsync();
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        browser.DefaultRequestHeaders.Add("Origin", "http://localhost");
        using var login = await browser.PostAsJsonAsync("/api/auth/login", new { userName = user, password = Password });
        login.EnsureSuccessStatusCode();
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dialer.session=", StringComparison.Ordinal)).Split(';')[0];
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        await browser.GetJsonAsync("/api/auth/me");

        using var logout = await browser.PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        // The browser would drop the cookie now; someone who copied it keeps sending it.
        using var stale = await browser.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains(stale.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dialer.session=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_logout_ends_that_session_only()
    {
        var user = await NewUserAsync();
        using var first = Bearer((await TokensAsync(user)).Access);
        using var second = Bearer((await TokensAsync(user)).Access);

        await first.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/api/auth/logout");

        await first.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        await second.GetJsonAsync("/api/auth/me");
    }

    [Fact]
    public async Task Disabling_a_user_ends_its_cookie_and_bearer_sessions_at_once_and_refuses_its_sign_in()
    {
        var user = await NewUserAsync();
        var id = await IdOfAsync(user);
        var tokens = await TokensAsync(user);
        using var api = Bearer(tokens.Access);
        using var browser = await CookieSessionAsync(user);
        using var admin = await factory.AdminAsync();

        var disabled = await admin.PatchAsync($"/api/users/{id}", new { disabled = true });

        Assert.True(disabled.GetProperty("disabled").GetBoolean());
        await api.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        await browser.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        await RefreshAsync(tokens.Refresh, HttpStatusCode.Unauthorized);
        using var anonymous = factory.CreateClient();
        var refused = await anonymous.PostAsync("/api/auth/token", new { userName = user, password = Password }, HttpStatusCode.Forbidden);
        Assert.Contains("disabled", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await admin.PatchAsync($"/api/users/{id}", new { disabled = false });
        using var again = Bearer((await TokensAsync(user)).Access);
        await again.GetJsonAsync("/api/auth/me");
    }

    [Fact]
    public async Task Deleting_a_user_ends_its_sessions()
    {
        var user = await NewUserAsync();
        var id = await IdOfAsync(user);
        using var api = Bearer((await TokensAsync(user)).Access);
        using var admin = await factory.AdminAsync();

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/api/users/{id}");

        await api.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        Assert.DoesNotContain((await admin.GetJsonAsync("/api/users")).EnumerateArray(), u => u.Id() == id);
    }

    [Fact]
    public async Task A_new_password_ends_the_users_sessions_and_only_the_new_password_signs_in()
    {
        var user = await NewUserAsync();
        var id = await IdOfAsync(user);
        using var api = Bearer((await TokensAsync(user)).Access);
        using var admin = await factory.AdminAsync();

        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/users/{id}/password", new { password = "brand-new-pass-2" });

        await api.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        using var anonymous = factory.CreateClient();
        await anonymous.PostAsync("/api/auth/token", new { userName = user, password = Password }, HttpStatusCode.Unauthorized);
        await anonymous.PostAsync("/api/auth/token", new { userName = user, password = "brand-new-pass-2" });
    }

    [Fact]
    public async Task A_new_role_ends_the_users_sessions_so_the_next_sign_in_carries_it()
    {
        var user = await NewUserAsync();
        var id = await IdOfAsync(user);
        using var api = Bearer((await TokensAsync(user)).Access);
        using var admin = await factory.AdminAsync();

        await admin.PatchAsync($"/api/users/{id}", new { role = "admin" });

        await api.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        using var again = Bearer((await TokensAsync(user)).Access);
        Assert.Equal("admin", (await again.GetJsonAsync("/api/auth/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_refresh_gives_working_tokens_and_retires_the_refresh_token_it_was_given()
    {
        var user = await NewUserAsync();
        var first = await TokensAsync(user);

        var second = Tokens(await RefreshAsync(first.Refresh));
        using var api = Bearer(second.Access);
        Assert.Equal(user, (await api.GetJsonAsync("/api/auth/me")).GetProperty("userName").GetString());
        Assert.NotEqual(first.Refresh, second.Refresh);

        var third = Tokens(await RefreshAsync(second.Refresh));
        using var latest = Bearer(third.Access);
        await latest.GetJsonAsync("/api/auth/me");
    }

    [Fact]
    public async Task A_retired_refresh_token_coming_back_ends_the_whole_session()
    {
        var user = await NewUserAsync();
        var first = await TokensAsync(user);
        var second = Tokens(await RefreshAsync(first.Refresh));

        // Someone kept the first refresh token and uses it after the owner refreshed.
        var replay = await RefreshAsync(first.Refresh, HttpStatusCode.Unauthorized);

        Assert.Contains("already used", replay.GetProperty("errors").GetProperty("refreshToken")[0].GetString(), StringComparison.Ordinal);
        using var api = Bearer(second.Access);
        await api.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        await RefreshAsync(second.Refresh, HttpStatusCode.Unauthorized);
        using var admin = await factory.AdminAsync();
        var audit = await admin.GetJsonAsync($"/api/audit?subject=user:{await IdOfAsync(user)}&action=session.refresh_replayed");
        Assert.Single(audit.EnumerateArray());
    }

    [Fact]
    public async Task The_live_wall_stream_of_a_disabled_supervisor_ends()
    {
        var user = await NewUserAsync();
        using var wall = Bearer((await TokensAsync(user)).Access);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await wall.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/monitor/stream"), HttpCompletionOption.ResponseHeadersRead, guard.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        Assert.StartsWith("retry:", await reader.ReadLineAsync(guard.Token), StringComparison.Ordinal);

        using var admin = await factory.AdminAsync();
        await admin.PatchAsync($"/api/users/{await IdOfAsync(user)}", new { disabled = true });

        // The next change on the wall (or heartbeat) finds the session ended and closes the stream.
        await admin.PostAsync("/api/agents", new { name = "Wakes the wall" }, HttpStatusCode.Created);
        while (await reader.ReadLineAsync(guard.Token) is not null)
        {
        }

        Assert.False(guard.IsCancellationRequested);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    public async Task A_refresh_token_that_is_not_one_is_a_401_naming_it(string token)
    {
        var refused = await RefreshAsync(token, HttpStatusCode.Unauthorized);
        Assert.Equal(["refreshToken"], refused.ProblemFields());
    }

    [Fact]
    public async Task An_access_token_is_no_refresh_token()
    {
        var user = await NewUserAsync();
        var tokens = await TokensAsync(user);
        await RefreshAsync(tokens.Access, HttpStatusCode.Unauthorized);
    }

    private async Task<string> NewUserAsync()
    {
        using var admin = await factory.AdminAsync();
        var name = "s-" + Guid.NewGuid().ToString("N")[..10];
        await admin.PostAsync("/api/users", new { userName = name, password = Password, role = "supervisor" }, HttpStatusCode.Created);
        return name;
    }

    private async Task<long> IdOfAsync(string user)
    {
        using var admin = await factory.AdminAsync();
        return (await admin.GetJsonAsync("/api/users")).EnumerateArray().Single(u => u.GetProperty("userName").GetString() == user).Id();
    }

    private async Task<(string Access, string Refresh)> TokensAsync(string user)
    {
        using var client = factory.CreateClient();
        return Tokens(await client.PostAsync("/api/auth/token", new { userName = user, password = Password }));
    }

    private async Task<HttpClient> CookieSessionAsync(string user)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        browser.DefaultRequestHeaders.Add("Origin", "http://localhost");
        await browser.PostAsync("/api/auth/login", new { userName = user, password = Password });
        await browser.GetJsonAsync("/api/auth/me");
        return browser;
    }

    private async Task<JsonElement> RefreshAsync(string refreshToken, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = factory.CreateClient();
        return await client.PostAsync("/api/auth/refresh", new { refreshToken }, expected);
    }

    private static (string Access, string Refresh) Tokens(JsonElement answer) =>
        (answer.GetProperty("accessToken").GetString()!, answer.GetProperty("refreshToken").GetString()!);

    private HttpClient Bearer(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
