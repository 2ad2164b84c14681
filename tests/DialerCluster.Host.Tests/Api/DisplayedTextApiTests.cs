using System.Net;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Api;

/// <summary>
/// NUL, ESC, other controls and bidirectional overrides are refused in every text the API stores for display, with a
/// 422 naming the field, nested fields included, and nothing is stored (issue 15.12).
/// </summary>
public sealed class DisplayedTextApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>, IAsyncLifetime
{
    private HttpClient _api = null!;
    private long _campaign;
    private long _agent;
    private long _case;

    public async Task InitializeAsync()
    {
        _api = await factory.AdminAsync();
        (_campaign, _agent) = await _api.CampaignWithCasesAsync(ApiCalls.Phones(1));
        _case = (await _api.GetJsonAsync($"/api/campaigns/{_campaign}/cases")).GetProperty("items")[0].Id();
    }

    public Task DisposeAsync()
    {
        _api.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string, string, string> Refused() => new()
    {
        // method, path ({campaign}, {agent}, {case} filled in), JSON body, the field the 422 must name
        { "POST", "/api/agents", """{"name": "Ann\u0000Lee"}""", "name" },
        { "POST", "/api/campaigns", """{"name": "Spring \u001b[31msale"}""", "name" },
        { "PATCH", "/api/campaigns/{campaign}", """{"name": "Sale\u202Eelas"}""", "name" },
        { "PATCH", "/api/cases/{case}", """{"note": "Called back \u202Eevil"}""", "note" },
        { "PATCH", "/api/cases/{case}", """{"note": "bell\u0007"}""", "note" },
        { "PATCH", "/api/cases/{case}", """{"leadSource": "web\u2066form"}""", "leadSource" },
        { "POST", "/api/campaigns/{campaign}/cases", """{"contact": {"name": "Ann\u0000", "phone": "+4930123456"}}""", "contact.name" },
        { "POST", "/api/campaigns/{campaign}/cases", """{"contact": {"name": "Ann", "phone": "+4930123457", "company": "\u009bACME"}}""", "contact.company" },
        { "POST", "/api/campaigns/{campaign}/cases", """{"contact": {"name": "Ann", "phone": "+4930123458", "attributes": {"region": "\u001b"}}}""", "contact.attributes.region" },
        { "PUT", "/api/agents/{agent}/status", """{"status": "break", "reason": "\u202Elunch"}""", "reason" },
        { "POST", "/api/dnc", """{"phone": "+442079460999", "reason": "asked\u0000"}""", "reason" },
        { "POST", "/api/users", """{"userName": "nul\u0000l", "password": "long-enough-1", "role": "supervisor"}""", "userName" },
        { "POST", "/api/users", """{"userName": "new-agent-x", "password": "long-enough-1", "role": "agent", "agentName": "Bob\u0000"}""", "agentName" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Text_with_controls_or_bidirectional_overrides_is_a_422_naming_the_field(string method, string path, string body, string field)
    {
        var (status, problem) = await _api.SendAsync(new HttpMethod(method), Fill(path), body);

        Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{method} {path}: {(int)status} {problem}");
        Assert.Equal([field], problem.ProblemFields());
    }

    [Fact]
    public async Task Nothing_refused_is_stored()
    {
        await _api.SendAsync(HttpMethod.Post, "/api/agents", """{"name": "Ghost\u0000"}""");
        var version = (await _api.GetJsonAsync($"/api/cases/{_case}")).GetProperty("case").GetProperty("version").GetInt64();
        await _api.SendAsync(HttpMethod.Patch, $"/api/cases/{_case}", $$"""{"note": "\u202Egone", "version": {{version}}}""");

        Assert.DoesNotContain((await _api.GetJsonAsync("/api/agents")).EnumerateArray(), a => a.GetProperty("name").GetString()!.StartsWith("Ghost", StringComparison.Ordinal));
        var note = (await _api.GetJsonAsync($"/api/cases/{_case}")).GetProperty("case").GetProperty("note");
        Assert.DoesNotContain("gone", note.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_on_several_lines_in_any_script_is_kept_as_written()
    {
        const string note = "Called back.\nWants the offer in Polish: „Dzień dobry”.\tمرحبا 👋";
        var version = (await _api.GetJsonAsync($"/api/cases/{_case}")).GetProperty("case").GetProperty("version").GetInt64();
        var saved = await _api.PatchAsync($"/api/cases/{_case}", new { note, version });
        Assert.Equal(note, saved.GetProperty("note").GetString());
    }

    private string Fill(string path) => path
        .Replace("{campaign}", _campaign.ToString(), StringComparison.Ordinal)
        .Replace("{agent}", _agent.ToString(), StringComparison.Ordinal)
        .Replace("{case}", _case.ToString(), StringComparison.Ordinal);
}
