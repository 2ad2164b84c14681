using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Api;

/// <summary>Garbage to every endpoint: always a 4xx problem document naming a field, never a 500 or a stack trace.</summary>
public sealed class MalformedInputTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>, IAsyncLifetime
{
    private HttpClient _api = null!;
    private long _campaign;
    private long _agent;
    private long _case;

    public async Task InitializeAsync()
    {
        _api = await factory.AdminAsync();
        (_campaign, _agent) = await _api.CampaignWithCasesAsync(ApiCalls.Phones(1));
        var page = await _api.GetJsonAsync($"/api/campaigns/{_campaign}/cases");
        _case = page.GetProperty("items")[0].Id();
    }

    public Task DisposeAsync()
    {
        _api.Dispose();
        return Task.CompletedTask;
    }

    public static TheoryData<string, string, string?, string?> Garbage() => new()
    {
        // method, path ({campaign}, {agent}, {case} filled in), raw body (null: none), the field the problem must name (null: any)
        { "POST", "/api/campaigns", "not json", "body" },
        { "POST", "/api/campaigns", "{", null },
        { "POST", "/api/campaigns", "[]", null },
        { "POST", "/api/campaigns", "null", "body" },
        { "POST", "/api/campaigns", "", "body" },
        { "POST", "/api/campaigns", "{\"name\": 5}", "name" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"dialMode\": \"warp\"}", "dialMode" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"maxAttempts\": \"many\"}", "maxAttempts" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"maxAttempts\": 1e400}", "maxAttempts" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"holdTimeout\": \"forever\"}", "holdTimeout" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"holdTimeout\": 1e300}", "holdTimeout" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"callingWindow\": {\"start\": \"25:99\"}}", "callingWindow.start" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"retryDelays\": 7}", "retryDelays" },
        { "POST", "/api/campaigns", "{\"name\": \"x\", \"targetAbandonRate\": 0.5}", "targetAbandonRate" },
        { "POST", "/api/campaigns", "{\"name\": \"" + new string('x', 300) + "\"}", "name" },
        { "PATCH", "/api/campaigns/{campaign}", "{\"dialMode\": 3}", "dialMode" },
        { "PATCH", "/api/campaigns/{campaign}", "{\"version\": \"new\"}", "version" },
        { "PATCH", "/api/campaigns/abc", "{}", "id" },
        { "PATCH", "/api/campaigns/99999999999999999999", "{}", "id" },
        { "GET", "/api/campaigns/abc", null, "id" },
        { "GET", "/api/campaigns/-1", null, null },
        { "PUT", "/api/campaigns/{campaign}/agents/me", null, "agentId" },
        { "DELETE", "/api/campaigns/x/agents/{agent}", null, "id" },
        { "POST", "/api/agents", "{\"name\": [1,2]}", "name" },
        { "POST", "/api/agents", "{}", "name" },
        { "POST", "/api/agents", "{\"name\": \"Dialer line 1.1\"}", "name" },
        { "GET", "/api/agents/abc", null, "id" },
        { "PUT", "/api/agents/{agent}/status", "{\"status\": \"sleeping\"}", "status" },
        { "PUT", "/api/agents/{agent}/status", "{\"status\": 5}", "status" },
        { "PUT", "/api/agents/{agent}/status", "{}", "status" },
        { "PUT", "/api/agents/{agent}/status", "{\"status\": \"break\"}", "reason" },
        { "PUT", "/api/agents/{agent}/status", "{\"status\": \"break\", \"reason\": \"" + new string('r', 300) + "\"}", "reason" },
        { "POST", "/api/agents/{agent}/next-case?campaignId=abc", null, "campaignId" },
        { "POST", "/api/agents/{agent}/next-case", null, "campaignId" },
        { "POST", "/api/agents/{agent}/complete", "{\"outcome\": \"exploded\"}", "outcome" },
        { "POST", "/api/agents/{agent}/complete", "{}", "outcome" },
        { "POST", "/api/agents/{agent}/complete", "\"talked\"", "body" },
        { "GET", "/api/agents/{agent}/reminders?campaignId=x", null, "campaignId" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contactIds\": \"x\"}", "contactIds" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contactIds\": [1], \"contactGroupId\": 1}", "contactIds" },
        { "POST", "/api/campaigns/{campaign}/cases", "{}", "contactIds" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contactIds\": []}", "contactIds" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contact\": {\"phone\": \"abc\"}}", "contact.phone" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contact\": {\"name\": \"no phone\"}}", "contact.phone" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contact\": {\"phone\": \"+4930123456\", \"email\": \"x\", \"timeZone\": \"Mars/Base\"}}", "contact.email" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contactIds\": [1], \"priority\": \"urgent\"}", "priority" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contactIds\": [1], \"ownerAgentId\": \"me\"}", "ownerAgentId" },
        { "POST", "/api/campaigns/{campaign}/cases", "{\"contactIds\": [1], \"ownerAgentId\": 987654}", "ownerAgentId" },
        { "GET", "/api/campaigns/{campaign}/cases?status=zzz", null, "status" },
        { "GET", "/api/campaigns/{campaign}/cases?page=-1", null, "page" },
        { "GET", "/api/campaigns/{campaign}/cases?pageSize=100000", null, "pageSize" },
        { "GET", "/api/campaigns/{campaign}/cases?owner=x", null, "owner" },
        { "GET", "/api/campaigns/{campaign}/cases?from=yesterday", null, "from" },
        { "GET", "/api/cases/abc", null, "id" },
        { "PATCH", "/api/cases/{case}", "{\"status\": \"done\"}", "status" },
        { "PATCH", "/api/cases/{case}", "{\"status\": \"new\", \"nextContactAt\": \"tomorrow\"}", "nextContactAt" },
        { "PATCH", "/api/cases/{case}", "{\"expectedCloseDate\": \"2030-13-45\"}", "expectedCloseDate" },
        { "PATCH", "/api/cases/{case}", "{\"ownerAgentId\": \"x\"}", "ownerAgentId" },
        { "PATCH", "/api/cases/{case}", "{\"ownerAgentId\": 987654}", "ownerAgentId" },
        { "PATCH", "/api/cases/{case}", "{\"priority\": \"urgent\"}", "priority" },
        { "PATCH", "/api/cases/{case}", "{\"note\": 12}", "note" },
        { "PATCH", "/api/cases/{case}", "{\"version\": 1, \"note\": \"" + new string('n', 10_001) + "\"}", "note" },
        { "PATCH", "/api/cases/{case}", "{\"status\": \"won\", \"version\": -3}", "version" },
        { "PATCH", "/api/cases/{case}", "{\"version\": 1, \"status\": \"resigned\"}", "resignationReason" },
        { "PATCH", "/api/cases/{case}", "{\"note\": \"no version\"}", "If-Match" },
        { "POST", "/api/contact-groups/import", "{\"file\": \"x\"}", null },
        { "GET", "/api/no-such-thing", null, "path" },
        { "DELETE", "/api/monitor", null, "method" },
        { "POST", "/api/dnc", "{\"phone\": \"abc\"}", "phone" },
        { "POST", "/api/dnc", "{\"phone\": 5}", "phone" },
        { "POST", "/api/dnc", "{}", "phone" },
        { "DELETE", "/api/dnc/abc", null, "phone" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_is_a_problem_naming_the_field_never_a_server_error(string method, string path, string? body, string? field)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await _api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        AssertProblem(response, text, field);
    }

    [Fact]
    public async Task A_json_body_where_a_form_is_expected_is_a_problem()
    {
        using var response = await _api.PostAsync("/api/campaigns/0/cases".Replace("0", _campaign.ToString()), new StringContent("<xml/>", Encoding.UTF8, "application/xml"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("   at ", text);
    }

    [Theory]
    [InlineData("leads.csv", new byte[] { 0xFF, 0xFE, 0x00, 0xD8, 0x00, 0xDC, 0x41 })]
    [InlineData("leads.xlsx", new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01 })]
    [InlineData("leads.xls", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 })]
    [InlineData("leads.exe", new byte[] { 0x4D, 0x5A, 0x90, 0x00 })]
    [InlineData("leads.csv", new byte[] { 0x6E, 0x61, 0x6D, 0x65, 0x2C, 0xC3, 0x28, 0x0A })]
    public async Task An_unreadable_import_file_is_a_problem_on_the_file_field(string fileName, byte[] content)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent("broken"), "name");

        using var response = await _api.PostAsync("/api/contact-groups/import", form);

        AssertProblem(response, await response.Content.ReadAsStringAsync(), "file");
    }

    [Fact]
    public async Task An_import_without_file_or_name_names_both()
    {
        using var form = new MultipartFormDataContent { { new StringContent("x"), "defaultCountry" } };

        using var response = await _api.PostAsync("/api/contact-groups/import", form);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["file", "name"], problem.ProblemFields());
    }

    private string Fill(string path) => path
        .Replace("{campaign}", _campaign.ToString(), StringComparison.Ordinal)
        .Replace("{agent}", _agent.ToString(), StringComparison.Ordinal)
        .Replace("{case}", _case.ToString(), StringComparison.Ordinal);

    private static void AssertProblem(HttpResponseMessage response, string text, string? field)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"expected a 4xx, got {status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text);
        var fields = JsonDocument.Parse(text).RootElement.ProblemFields();
        Assert.NotEmpty(fields);
        if (field is not null)
        {
            Assert.True(fields.Contains(field), $"expected the problem to name '{field}', it names {string.Join(", ", fields)}: {text}");
        }
    }
}
