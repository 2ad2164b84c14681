using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// The desk's rough edges of issue 15, in a real browser against the real host: a save that lost a race is shown and
/// recovered without losing typing; messages and the call box tell the truth; desk and campaign list agree on attempts.
/// </summary>
public sealed class CaseworkDeskTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "casework-pass-1";

    private DialerHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private long _preview;
    private long _dialing;
    private long _alice;
    private long _dora;

    private static string Screenshots => DeskAndWallTests.ScreenshotFolder;

    public async Task InitializeAsync()
    {
        // Every dialed call answered by a person within a second, who then talks for two minutes: a call stays up for the test.
        _host = await DialerHost.StartAsync(new Dictionary<string, string>
        {
            ["Telephony__Simulated__AnswerRate"] = "1",
            ["Telephony__Simulated__MachineRate"] = "0",
            ["Telephony__Simulated__BusyRate"] = "0",
            ["Telephony__Simulated__FailureRate"] = "0",
            ["Telephony__Simulated__RingSeconds"] = "0.5",
            ["Telephony__Simulated__PostDialSeconds"] = "0.1",
            ["Telephony__Simulated__TalkSeconds"] = "120",
        });
        _preview = await _host.CreateCampaignAsync("Preview desk", retryDelays: new { noAnswer = 1, busy = 1, voicemail = 1, failed = 1 });
        _dialing = await _host.CreateCampaignAsync("Dialing desk", dialMode: "progressive");
        _alice = await _host.CreateAgentAsync("Alice Novak");
        _dora = await _host.CreateAgentAsync("Dora Dialer");
        await _host.AssignAsync(_preview, _alice);
        await _host.AssignAsync(_dialing, _dora);
        await _host.CreateUserAsync("alice", Password, "agent", _alice);
        await _host.CreateUserAsync("dora", Password, "agent", _dora);
        await _host.CreateUserAsync("sam", Password, "supervisor");
        await _host.AddCaseAsync(_preview, "Olivia Bennett", "+442079460101");
        await _host.AddCaseAsync(_dialing, "Marcus Reid", "+442079460102");

        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        Directory.CreateDirectory(Screenshots);
    }

    [Fact]
    public async Task A_save_that_lost_a_race_says_who_changed_what_and_reloads_keeping_what_the_agent_typed()
    {
        var desk = await TakeCaseAsync("alice", "Preview desk");
        var caseId = long.Parse((await desk.Locator("#case-meta").TextContentAsync())!.Split('#')[1].Split(' ')[0]);
        await desk.Locator("#f-note").FillAsync("Alice: wants the two-year plan");

        // Meanwhile a supervisor saves the same case, based on what is stored.
        await SaveAsSupervisorAsync(caseId, new { note = "Supervisor: VIP, call before noon", priority = "high" });

        await desk.Locator("#save").ClickAsync();
        var message = desk.Locator("#save-message");
        await Expect(message).ToContainTextAsync("Not saved: admin changed this case meanwhile");
        await Expect(message).ToContainTextAsync("Note");
        await Expect(desk.Locator("#reload-keep")).ToBeVisibleAsync();
        await desk.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "desk-conflict.png"), FullPage = true });

        await desk.Locator("#reload-keep").ClickAsync();
        await Expect(message).ToContainTextAsync("are back in the form");
        await Expect(desk.Locator("#f-note")).ToHaveValueAsync("Alice: wants the two-year plan");
        await Expect(desk.Locator("#case-priority-tag")).ToHaveTextAsync("High priority");
        await Expect(desk.Locator("#history")).ToContainTextAsync("Supervisor: VIP, call before noon");
        await desk.Locator("#save").ClickAsync();
        await Expect(message).ToContainTextAsync("Saved");

        var stored = await _host.Admin.GetFromJsonAsync<JsonObject>($"api/cases/{caseId}");
        Assert.Equal("Alice: wants the two-year plan", stored!["case"]!["note"]!.GetValue<string>());
        Assert.Equal("high", stored["case"]!["priority"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_desk_clears_you_already_hold_this_case_after_complete_and_shows_attempts_and_names_as_the_campaign_list_does()
    {
        var desk = await TakeCaseAsync("alice", "Preview desk");
        await desk.Locator("#next-case").ClickAsync();
        await Expect(desk.Locator("#next-message")).ToHaveTextAsync("You already hold this case.");

        await desk.Locator("#outcome").SelectOptionAsync("no_answer");
        await desk.Locator("#complete").ClickAsync();
        await Expect(desk.Locator("#case-empty")).ToBeVisibleAsync();
        await Expect(desk.Locator("#next-message")).Not.ToContainTextAsync("You already hold this case.");

        // Due again a second later (the campaign retries no-answers after 1 s): the same case, one attempt made.
        await Task.Delay(1500);
        await desk.Locator("#next-case").ClickAsync();
        await Expect(desk.Locator("#case-meta")).ToContainTextAsync("1 of 5 attempts");
        await Expect(desk.Locator("#history .by")).ToContainTextAsync(["by Alice Novak"]);
        await Expect(desk.Locator("#history")).Not.ToContainTextAsync($"by {_alice}");

        var list = await SignInAsync("sam", "**/wall.html");
        await list.GotoAsync($"/campaign.html?id={_preview}");
        var row = list.Locator("#cases tbody tr", new() { HasText = "Olivia Bennett" });
        await Expect(row.Locator("td.attempts")).ToHaveTextAsync("1 of 5 attempts");
        await Expect(row.Locator(".holder")).ToHaveTextAsync("held by Alice Novak");
        await desk.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "desk-attempts.png"), FullPage = true });
    }

    [Fact]
    public async Task The_call_box_stays_on_the_call_when_the_agent_saves_and_when_the_page_is_reloaded()
    {
        var wall = await SignInAsync("sam", "**/wall.html");
        var dialingRow = wall.Locator($"#campaigns tr[data-campaign-id='{_dialing}']");
        await Expect(dialingRow.Locator(".answer-rate")).ToHaveTextAsync("–");

        var desk = await TakeCaseAsync("dora", "Dialing desk");
        var callBox = desk.Locator("#call-state");
        await Expect(callBox).ToContainTextAsync("Connected", new() { Timeout = 30_000 });

        await desk.Locator("#f-note").FillAsync("Talking now: interested in a demo");
        await desk.Locator("#save").ClickAsync();
        await Expect(desk.Locator("#save-message")).ToContainTextAsync("Saved");
        await Expect(callBox).ToContainTextAsync("Connected");
        await Expect(callBox).Not.ToContainTextAsync("Preview");

        await desk.ReloadAsync();
        await Expect(desk.Locator("#case-card")).ToBeVisibleAsync();
        await Expect(callBox).ToContainTextAsync("On call");
        await Expect(callBox).Not.ToContainTextAsync("Preview");
        await Expect(dialingRow.Locator(".answer-rate")).ToHaveTextAsync("100.0%", new() { Timeout = 10_000 });
        await desk.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "desk-on-call.png"), FullPage = true });
    }

    private async Task<IPage> TakeCaseAsync(string user, string campaign)
    {
        var desk = await SignInAsync(user, "**/desk.html");
        await desk.Locator("#campaign").SelectOptionAsync(new SelectOptionValue { Label = campaign });
        await desk.Locator("#status-ready").ClickAsync();
        await Expect(desk.Locator("#state-pill")).ToHaveTextAsync("Ready");
        await desk.Locator("#next-case").ClickAsync();
        await Expect(desk.Locator("#case-card")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return desk;
    }

    private async Task SaveAsSupervisorAsync(long caseId, object body)
    {
        using var read = await _host.Admin.GetAsync($"api/cases/{caseId}");
        read.EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"api/cases/{caseId}") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(read.Headers.ETag!);
        using var response = await _host.Admin.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<IPage> SignInAsync(string user, string landing) => BrowserSession.SignInAsync(_browser, _host, user, Password, landing, output);

    public Task DisposeAsync() => BrowserSession.DisposeAsync(_browser, _playwright, _host, output);
}
