using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Cases;

/// <summary>Case saves carry the version they were based on: no save overwrites a change its author has not seen (issue 15.3).</summary>
public sealed class LostUpdateTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task A_case_read_gives_its_version_as_an_etag_and_a_save_with_it_gets_the_next_one()
    {
        using var api = await factory.AdminAsync();
        var caseId = await NewCaseAsync(api);

        var (etag, json) = await ReadAsync(api, caseId);
        var (status, saved, savedTag) = await SaveAsync(api, caseId, new { note = "called twice" }, ifMatch: etag);

        Assert.Equal($"\"{json.GetProperty("case").GetProperty("version").GetInt64()}\"", etag.Tag);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"\"{saved.GetProperty("version").GetInt64()}\"", savedTag?.Tag);
        Assert.NotEqual(etag.Tag, savedTag?.Tag);
    }

    [Fact]
    public async Task A_save_without_a_version_is_refused_with_428_and_changes_nothing()
    {
        using var api = await factory.AdminAsync();
        var caseId = await NewCaseAsync(api);

        var (status, problem, _) = await SaveAsync(api, caseId, new { note = "blind overwrite" });

        Assert.Equal(HttpStatusCode.PreconditionRequired, status);
        Assert.Equal(["If-Match"], problem.ProblemFields());
        Assert.Equal(JsonValueKind.Null, (await ReadAsync(api, caseId)).Json.GetProperty("case").GetProperty("note").ValueKind);
    }

    [Fact]
    public async Task The_second_of_two_saves_based_on_one_version_is_refused_naming_what_changed_and_who_changed_it()
    {
        using var admin = await factory.AdminAsync();
        var (caseId, campaign) = await NewCaseWithCampaignAsync(admin);
        var bruno = (await admin.PostAsync("/api/agents", new { name = "Bruno Costa" }, HttpStatusCode.Created)).Id();
        await admin.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/api/campaigns/{campaign}/agents/{bruno}");
        await admin.PostAsync("/api/users", new { userName = "bruno", password = "bruno-pass-123", role = "agent", agentId = bruno }, HttpStatusCode.Created);
        using var agent = await factory.SignedInAsync("bruno", "bruno-pass-123");
        var (etag, _) = await ReadAsync(admin, caseId);

        var first = await SaveAsync(agent, caseId, new
        {
            status = "in_acquisition",
            nextContactAt = factory.Clock.Now.AddDays(1),
            acquisitionStage = "demo booked",
            leadSource = "fair",
            expectedCloseDate = "2031-01-31",
            note = "Bruno's note",
        }, ifMatch: etag);
        var second = await SaveAsync(admin, caseId, new { note = "the supervisor's note", priority = "high" }, ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.Status);
        var reason = second.Body.GetProperty("errors").GetProperty("If-Match")[0].GetString()!;
        Assert.Contains("status new → in_acquisition", reason);
        Assert.Contains("note", reason);
        Assert.Contains("nextContactAt", reason);
        Assert.Contains("by Bruno Costa", reason);
        Assert.Equal(reason, second.Body.GetProperty("detail").GetString());
        Assert.Equal(first.Body.GetProperty("version").GetInt64(), second.Body.GetProperty("currentVersion").GetInt64());
        var change = second.Body.GetProperty("changes").EnumerateArray().First();
        Assert.Equal(("bruno", "Bruno Costa"), (change.GetProperty("by").GetString(), change.GetProperty("byName").GetString()));
        var stored = (await ReadAsync(admin, caseId)).Json.GetProperty("case");
        Assert.Equal(("Bruno's note", "low"), (stored.GetProperty("note").GetString(), stored.GetProperty("priority").GetString()));
    }

    [Fact]
    public async Task A_stale_version_in_the_body_is_a_409_naming_the_version_field()
    {
        using var api = await factory.AdminAsync();
        var caseId = await NewCaseAsync(api);
        var version = (await ReadAsync(api, caseId)).Json.GetProperty("case").GetProperty("version").GetInt64();
        await SaveAsync(api, caseId, new { note = "first", version });

        var (status, problem, _) = await SaveAsync(api, caseId, new { note = "second", version });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(["version"], problem.ProblemFields());
        Assert.Contains("note", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_version_stale_only_because_the_dialer_held_and_released_the_case_still_saves()
    {
        using var api = await factory.AdminAsync();
        var (caseId, campaign) = await NewCaseWithCampaignAsync(api);
        var (etag, _) = await ReadAsync(api, caseId);
        var agent = await api.ReadyAgentAsync(campaign, "Holder");
        Assert.Equal(caseId, (await api.PostAsync($"/api/agents/{agent}/next-case?campaignId={campaign}")).GetProperty("case").Id());
        await api.PostAsync($"/api/agents/{agent}/complete", new { outcome = "no_answer" });

        var (status, saved, _) = await SaveAsync(api, caseId, new { note = "seen before the call", priority = "high" }, ifMatch: etag);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("seen before the call", 1), (saved.GetProperty("note").GetString(), saved.GetProperty("attempts").GetInt32()));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"1\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("\"one\"")]
    public async Task An_if_match_that_is_not_one_strong_version_is_a_400(string ifMatch)
    {
        using var api = await factory.AdminAsync();
        var caseId = await NewCaseAsync(api);
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/cases/{caseId}") { Content = JsonContent.Create(new { note = "x" }) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);

        using var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_version_the_case_never_had_is_refused()
    {
        using var api = await factory.AdminAsync();
        var caseId = await NewCaseAsync(api);

        var (status, problem, _) = await SaveAsync(api, caseId, new { note = "from the future" }, ifMatch: new EntityTagHeaderValue("\"99\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("version 99 does not exist", problem.GetProperty("detail").GetString());
    }

    private static async Task<long> NewCaseAsync(HttpClient api) => (await NewCaseWithCampaignAsync(api)).Case;

    private static async Task<(long Case, long Campaign)> NewCaseWithCampaignAsync(HttpClient api)
    {
        var campaign = (await api.PostAsync("/api/campaigns", new { name = "versions " + Guid.NewGuid().ToString("N")[..6], callingWindow = new { start = "00:00", end = "23:59" } }, HttpStatusCode.Created)).Id();
        var created = await api.PostAsync($"/api/campaigns/{campaign}/cases", new { contact = new { name = "Vera Version", phone = ApiCalls.Phones(1)[0] } });
        return (created.GetProperty("caseIds")[0].GetInt64(), campaign);
    }

    private static async Task<(EntityTagHeaderValue ETag, JsonElement Json)> ReadAsync(HttpClient api, long caseId)
    {
        using var response = await api.GetAsync($"/api/cases/{caseId}");
        response.EnsureSuccessStatusCode();
        return (response.Headers.ETag!, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, EntityTagHeaderValue? ETag)> SaveAsync(
        HttpClient api, long caseId, object body, EntityTagHeaderValue? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/cases/{caseId}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(ifMatch);
        }

        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag);
    }
}
