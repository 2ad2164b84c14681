using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// The agent desk and the supervisor wall in a real browser against the real host: the flow an agent repeats
/// all day, and the supervisor seeing it live.
/// </summary>
public sealed class DeskAndWallTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AgentPassword = "alice-pass-123";
    private const string SupervisorPassword = "sam-pass-1234";

    private static readonly string[] Contacts = ["Olivia Bennett", "Marcus Reid", "Priya Shah"];

    private DialerHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private long _campaignId;
    private long _agentId;

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        _host = await DialerHost.StartAsync();
        _campaignId = await _host.CreateCampaignAsync("Spring renewals");
        _agentId = await _host.CreateAgentAsync("Alice Novak");
        await _host.AssignAsync(_campaignId, _agentId);
        await _host.CreateUserAsync("alice", AgentPassword, "agent", _agentId);
        await _host.CreateUserAsync("sam", SupervisorPassword, "supervisor");
        var phones = new[] { "+442079460001", "+442079460002", "+442079460003" };
        for (var i = 0; i < Contacts.Length; i++)
        {
            await _host.AddCaseAsync(_campaignId, Contacts[i], phones[i], i == 0 ? "high" : "normal");
        }

        // Colleagues, so the wall shows a floor rather than one person.
        var bruno = await _host.CreateAgentAsync("Bruno Costa");
        var chen = await _host.CreateAgentAsync("Chen Wei");
        await _host.AssignAsync(_campaignId, bruno);
        await _host.AssignAsync(_campaignId, chen);
        await _host.SetStatusAsync(bruno, "ready");
        await _host.SetStatusAsync(chen, "break", "Training");

        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        Directory.CreateDirectory(ScreenshotFolder);
    }

    [Fact]
    public async Task Agent_works_a_case_and_the_supervisor_wall_shows_the_state_change_live()
    {
        var wall = await SignInAsync("sam", SupervisorPassword, "**/wall.html");
        await Expect(wall.Locator("#live")).ToHaveClassAsync(new Regex(@"\bon\b"));

        var desk = await SignInAsync("alice", AgentPassword, "**/desk.html");
        await Expect(desk.Locator("#campaign option")).ToHaveTextAsync("Spring renewals");

        // Ready: the desk shows green, and the wall shows it within a second, pushed by the stream.
        var agentRow = wall.Locator($"#agents tr[data-agent-id='{_agentId}']");
        var stopwatch = Stopwatch.StartNew();
        await desk.Locator("#status-ready").ClickAsync();
        await Expect(desk.Locator("#state-pill")).ToHaveTextAsync("Ready");
        await Expect(agentRow.Locator(".pill")).ToHaveTextAsync("Ready", new() { Timeout = 1000 });
        output.WriteLine($"ready on the wall {stopwatch.ElapsedMilliseconds} ms after the click");
        await Expect(agentRow).ToContainTextAsync("Alice Novak");

        // Next case: the high-priority lead comes first, with its contact data.
        await desk.Locator("#next-case").ClickAsync();
        await Expect(desk.Locator("#case-card")).ToBeVisibleAsync();
        await Expect(desk.Locator("#contact-name")).ToHaveTextAsync(Contacts[0]);
        await Expect(desk.Locator("#contact-facts")).ToContainTextAsync("+442079460001");
        await Expect(agentRow).ToContainTextAsync("Case #", new() { Timeout = 1000 });

        // In acquisition without its fields: refused, and each missing field named next to its input.
        await desk.Locator("#status-tabs button[data-status='in_acquisition']").ClickAsync();
        await desk.Locator("#f-note").FillAsync("Interested in the two-year plan; call back after the board meeting.");
        await desk.Locator("#save").ClickAsync();
        await Expect(desk.Locator("#save-message")).ToContainTextAsync("Not saved");
        foreach (var (field, label) in new[]
                 {
                     ("nextContactAt", "Next contact"), ("acquisitionStage", "Acquisition stage"),
                     ("leadSource", "Lead source"), ("expectedCloseDate", "Expected close date"),
                 })
        {
            await Expect(desk.Locator($"#err-{field}")).ToContainTextAsync(label);
            await Expect(desk.Locator("#save-message")).ToContainTextAsync(label);
        }

        await desk.Locator("#f-nextContactAt").FillAsync(DateTime.Now.AddDays(2).ToString("yyyy-MM-dd'T'10:30"));
        await desk.Locator("#f-acquisitionStage").SelectOptionAsync("Demo scheduled");
        await desk.Locator("#f-leadSource").SelectOptionAsync("Web form");
        await desk.Locator("#f-expectedCloseDate").FillAsync(DateTime.Now.AddDays(30).ToString("yyyy-MM-dd"));
        await desk.Locator("#save").ClickAsync();
        await Expect(desk.Locator("#save-message")).ToContainTextAsync("Saved");
        await Expect(desk.Locator("#case-status-tag")).ToHaveTextAsync("In acquisition");
        await Expect(desk.Locator("#err-nextContactAt")).ToBeEmptyAsync();
        await Expect(desk.Locator("#history")).ToContainTextAsync("In acquisition");
        await Expect(desk.Locator("#reminders")).ToContainTextAsync(Contacts[0]);

        await desk.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "desk.png"), FullPage = true });
        await wall.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "wall-working.png"), FullPage = true });

        // Complete with the call's outcome: the desk is clear for the next case, and so is the wall's case column.
        await desk.Locator("#outcome").SelectOptionAsync("talked");
        await desk.Locator("#complete").ClickAsync();
        await Expect(desk.Locator("#case-empty")).ToBeVisibleAsync();
        await Expect(agentRow).Not.ToContainTextAsync("Case #", new() { Timeout = 1000 });

        // A break shows red on the wall, with its reason.
        await desk.Locator("#break-reason").SelectOptionAsync("Lunch");
        await desk.Locator("#status-break").ClickAsync();
        await Expect(agentRow.Locator(".pill")).ToHaveTextAsync("Break · Lunch", new() { Timeout = 1000 });
        await Expect(agentRow.Locator(".pill")).ToHaveClassAsync(new Regex("st-break"));
        await Expect(wall.Locator("#campaigns")).ToContainTextAsync("Spring renewals");

        await wall.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "wall.png"), FullPage = true });
        output.WriteLine($"screenshots in {ScreenshotFolder}");
    }

    [Fact]
    public async Task The_wall_shows_its_cluster_node_with_status_address_and_grain_count_refreshed_live()
    {
        var wall = await SignInAsync("sam", SupervisorPassword, "**/wall.html");
        var node = wall.Locator("#nodes .node");
        await Expect(node).ToHaveCountAsync(1);
        await Expect(node).ToHaveAttributeAsync("data-status", "active");
        await Expect(node.Locator(".pill")).ToHaveTextAsync("active");
        await Expect(node.Locator(".addr")).ToHaveTextAsync($"127.0.0.1:{_host.BaseAddress.Port}");
        var grains = node.Locator(".activations");
        await Expect(grains).ToHaveTextAsync(new Regex(@"^\d+ grains$"));
        var before = await grains.TextContentAsync();

        // More agents at work means more grains on the node; the strip shows the new count without a reload.
        for (var i = 0; i < 5; i++)
        {
            var agent = await _host.CreateAgentAsync($"Temp {i}");
            await _host.SetStatusAsync(agent, "ready");
        }

        await Expect(grains).Not.ToHaveTextAsync(before!, new() { Timeout = 15_000 });
        await wall.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "wall-nodes.png"), FullPage = true });
    }

    [Fact]
    public async Task Supervisor_imports_leads_into_the_campaign_and_works_its_tabs()
    {
        var page = await SignInAsync("sam", SupervisorPassword, "**/wall.html");
        await page.Locator("nav a[href='/import.html']").ClickAsync();
        await page.WaitForURLAsync("**/import.html");

        var csv = "name,phone,email,company\n"
            + "Hanna Weber,030 1234567,hanna@weber.example,Weber GmbH\n"
            + "No Phone,,nobody@example.com,\n"
            + "Jonas Fischer,+49 40 7654321,,Fischer AG\n"
            + "Hanna Twice,030 1234567,,\n"
            + "Lena Koch,0221 998877,lena@koch,Koch KG\n";
        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "fair.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.Locator("#name").FillAsync("Trade fair, November");
        await page.Locator("#defaultCountry").FillAsync("DE");
        await page.Locator("#upload").ClickAsync();
        await Expect(page.Locator("#result-summary")).ToContainTextAsync("imported");
        var rejected = page.Locator("#rejected tbody tr");
        await Expect(rejected.First).ToContainTextAsync("phone");
        await Expect(page.Locator("#rejected tbody")).ToContainTextAsync("3");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "import.png"), FullPage = true });

        await page.Locator("#campaign").SelectOptionAsync(new SelectOptionValue { Label = "Spring renewals" });
        await page.Locator("#create-cases").ClickAsync();
        await Expect(page.Locator("#toasts")).ToContainTextAsync("cases created");

        await page.GotoAsync($"/campaign.html?id={_campaignId}");
        await Expect(page.Locator("#cases tbody")).ToContainTextAsync("Jonas Fischer");
        var jonas = page.Locator("#cases tbody tr", new() { HasText = "Jonas Fischer" });
        await jonas.Locator("select[aria-label='Priority']").SelectOptionAsync("high");
        await Expect(page.Locator("#toasts")).ToContainTextAsync("updated");
        await jonas.Locator("select[aria-label='Owner']").SelectOptionAsync(new SelectOptionValue { Label = "Alice Novak" });
        await Expect(page.Locator("#toasts .toast").Last).ToContainTextAsync("updated");

        await page.Locator("#owner").SelectOptionAsync(new SelectOptionValue { Label = "Alice Novak" });
        await page.Locator("#apply").ClickAsync();
        await Expect(page.Locator("#cases tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#cases tbody tr select[aria-label='Priority']")).ToHaveValueAsync("high");

        await page.Locator("#owner").SelectOptionAsync("");
        await page.Locator("#tabs button[data-status='']").ClickAsync();
        await Expect(page.Locator("#page-info")).ToContainTextAsync("cases");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "campaign.png"), FullPage = true });
    }

    [Fact]
    public async Task Pages_send_a_visitor_who_is_not_signed_in_to_the_sign_in_page()
    {
        var page = await (await _browser.NewContextAsync(new() { BaseURL = _host.BaseAddress.ToString() })).NewPageAsync();
        await page.GotoAsync("/desk.html");
        await page.WaitForURLAsync("**/login.html**");
        await page.Locator("#userName").FillAsync("alice");
        await page.Locator("#password").FillAsync("wrong-password");
        await page.Locator("#signin").ClickAsync();
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Unknown user name or wrong password.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "login.png") });
    }

    [Fact]
    public async Task An_agent_opening_the_wall_is_sent_back_to_the_desk()
    {
        var page = await SignInAsync("alice", AgentPassword, "**/desk.html");
        await Expect(page.Locator("#next-message")).ToHaveTextAsync("Go Ready to take cases.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, "desk-empty.png") });
        await page.GotoAsync("/wall.html");
        await page.WaitForURLAsync("**/desk.html");
    }

    private Task<IPage> SignInAsync(string user, string password, string landing) =>
        BrowserSession.SignInAsync(_browser, _host, user, password, landing, output);

    public Task DisposeAsync() => BrowserSession.DisposeAsync(_browser, _playwright, _host, output);
}
