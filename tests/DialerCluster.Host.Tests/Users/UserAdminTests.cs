using System.Net;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Users;

/// <summary>
/// Users and agents through the API (issue 16.1): create (with an existing or a new agent), link, role, disable,
/// password; supervisors manage agent users only; nobody takes away their own access; every write audited; names
/// unique whatever their case, width or look (15.12).
/// </summary>
public sealed class UserAdminTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    private const string Password = "admin-made-pass-1";

    [Fact]
    public async Task A_supervisor_creates_an_agent_user_with_its_agent_and_the_user_works_as_that_agent()
    {
        using var supervisor = await SupervisorAsync();
        var created = await supervisor.PostAsync("/api/users", new { userName = "Nadia", password = Password, role = "agent", agentName = "Nadia Haddad" }, HttpStatusCode.Created);

        Assert.Equal(("Nadia", "agent", "Nadia Haddad", false), (created.GetProperty("userName").GetString(), created.GetProperty("role").GetString(), created.GetProperty("agentName").GetString(), created.GetProperty("disabled").GetBoolean()));
        using var nadia = await factory.SignedInAsync("nadia", Password);
        var me = await nadia.GetJsonAsync("/api/auth/me");
        Assert.Equal(("agent", "Nadia Haddad", created.GetProperty("agentId").GetInt64()), (me.GetProperty("role").GetString(), me.GetProperty("agentName").GetString(), me.GetProperty("agentId").GetInt64()));
    }

    [Fact]
    public async Task A_user_is_linked_to_another_agent_and_every_change_is_audited_with_who_and_when()
    {
        using var admin = await factory.AdminAsync();
        var first = (await admin.PostAsync("/api/agents", new { name = "Omar One" }, HttpStatusCode.Created)).Id();
        var second = (await admin.PostAsync("/api/agents", new { name = "Omar Two" }, HttpStatusCode.Created)).Id();
        var user = (await admin.PostAsync("/api/users", new { userName = "omar", password = Password, role = "agent", agentId = first }, HttpStatusCode.Created)).Id();

        var linked = await admin.PatchAsync($"/api/users/{user}", new { agentId = second });
        await admin.PatchAsync($"/api/users/{user}", new { disabled = true });
        await admin.PatchAsync($"/api/users/{user}", new { disabled = false });
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, $"/api/users/{user}/password", new { password = "omar-new-pass-2" });

        Assert.Equal((second, "Omar Two"), (linked.GetProperty("agentId").GetInt64(), linked.GetProperty("agentName").GetString()));
        var audit = (await admin.GetJsonAsync($"/api/audit?subject=user:{user}")).EnumerateArray().ToArray();
        Assert.Equal(["user.password_set", "user.enabled", "user.disabled", "user.agent_linked", "user.created"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.All(audit, a => Assert.Equal("admin", a.GetProperty("actor").GetString()));
        Assert.All(audit, a => Assert.True(a.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch));
        Assert.Contains($"agent {second} (was {first})", audit[3].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_manages_agent_users_only()
    {
        using var admin = await factory.AdminAsync();
        var boss = (await admin.PostAsync("/api/users", new { userName = "boss-" + Suffix(), password = Password, role = "admin" }, HttpStatusCode.Created)).Id();
        using var supervisor = await SupervisorAsync();

        var asSupervisor = await supervisor.PostAsync("/api/users", new { userName = "peer-" + Suffix(), password = Password, role = "supervisor" }, HttpStatusCode.Forbidden);
        var onAdmin = await supervisor.PatchAsync($"/api/users/{boss}", new { disabled = true }, HttpStatusCode.Forbidden);
        var promote = await supervisor.PostAsync("/api/users", new { userName = "agent-" + Suffix(), password = Password, role = "agent", agentName = "Promoted" }, HttpStatusCode.Created);
        var promoted = await supervisor.PatchAsync($"/api/users/{promote.Id()}", new { role = "admin", agentId = (long?)null }, HttpStatusCode.Forbidden);
        await supervisor.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, $"/api/users/{boss}/password", new { password = "taken-over-1" });
        await supervisor.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"/api/users/{promote.Id()}");

        Assert.All(new[] { asSupervisor, onAdmin, promoted }, p => Assert.Equal(["role"], p.ProblemFields()));
        Assert.False((await admin.GetJsonAsync("/api/users")).EnumerateArray().Single(u => u.Id() == boss).GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task Nobody_takes_away_their_own_role_access_or_account()
    {
        using var admin = await factory.AdminAsync();
        var self = (await admin.GetJsonAsync("/api/users")).EnumerateArray().Single(u => u.GetProperty("userName").GetString() == DialerHostFactory.AdminUser).Id();

        await admin.PatchAsync($"/api/users/{self}", new { disabled = true }, HttpStatusCode.Conflict);
        await admin.PatchAsync($"/api/users/{self}", new { role = "supervisor" }, HttpStatusCode.Conflict);
        await admin.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Delete, $"/api/users/{self}");

        await admin.GetJsonAsync("/api/auth/me");
    }

    [Fact]
    public async Task Names_differing_only_in_case_or_width_or_looking_alike_are_one_user()
    {
        using var admin = await factory.AdminAsync();
        await admin.PostAsync("/api/users", new { userName = "Alice", password = Password, role = "supervisor" }, HttpStatusCode.Created);

        var sameLower = await admin.PostAsync("/api/users", new { userName = "alice", password = Password, role = "supervisor" }, HttpStatusCode.Conflict);
        var fullWidth = await admin.PostAsync("/api/users", new { userName = "ＡＬＩＣＥ", password = Password, role = "supervisor" }, HttpStatusCode.Conflict);
        var cyrillic = await admin.PostAsync("/api/users", new { userName = "\u0430\u04CF\u0456\u0441\u0435", password = Password, role = "supervisor" }, HttpStatusCode.Conflict);
        var mixed = await admin.PostAsync("/api/users", new { userName = "\u0430lice", password = Password, role = "supervisor" }, HttpStatusCode.UnprocessableEntity);

        Assert.All(new[] { sameLower, fullWidth, cyrillic, mixed }, p => Assert.Equal(["userName"], p.ProblemFields()));
        Assert.Contains("looks like the existing user 'Alice'", Reason(cyrillic), StringComparison.Ordinal);
        Assert.Contains("one script", Reason(mixed), StringComparison.Ordinal);
        using var signedIn = await factory.SignedInAsync("ALICE", Password);
        Assert.Equal("Alice", (await signedIn.GetJsonAsync("/api/auth/me")).GetProperty("userName").GetString());
    }

    [Fact]
    public async Task The_user_list_shows_no_password_hashes()
    {
        using var admin = await factory.AdminAsync();
        var text = (await admin.GetJsonAsync("/api/users")).ToString();
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AQAAAA", text, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> BadUsers => new()
    {
        { """{"userName":"lonely","password":"long-enough-1","role":"agent"}""", ["agentId"] },
        { """{"userName":"both","password":"long-enough-1","role":"agent","agentId":1,"agentName":"Both"}""", ["agentName"] },
        { """{"userName":"line","password":"long-enough-1","role":"agent","agentName":"Dialer line 7"}""", ["agentName"] },
        { """{"userName":"short","password":"abc","role":"supervisor"}""", ["password"] },
    };

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task A_bad_new_user_is_refused_naming_each_field(string body, string[] fields)
    {
        using var admin = await factory.AdminAsync();
        var (status, problem) = await admin.SendAsync(HttpMethod.Post, "/api/users", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(fields, problem.ProblemFields());
    }

    [Fact]
    public async Task Changing_or_deleting_a_user_that_does_not_exist_is_a_404()
    {
        using var admin = await factory.AdminAsync();
        await admin.PatchAsync("/api/users/987654", new { disabled = true }, HttpStatusCode.NotFound);
        await admin.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, "/api/users/987654/password", new { password = "long-enough-1" });
        await admin.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "/api/users/987654");
    }

    private async Task<HttpClient> SupervisorAsync()
    {
        using var admin = await factory.AdminAsync();
        var name = "sup-" + Suffix();
        await admin.PostAsync("/api/users", new { userName = name, password = Password, role = "supervisor" }, HttpStatusCode.Created);
        return await factory.SignedInAsync(name, Password);
    }

    private static string Reason(JsonElement problem) => problem.GetProperty("errors").GetProperty("userName")[0].GetString()!;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..8];
}
