using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// Users and agents in a real browser (issue 16.1): an admin creates an agent user with a new agent, links it to
/// another agent, the user works at the desk, the admin disables it, and the desk's session is gone at once (15.6).
/// The pages run under the Content-Security-Policy without a single violation (15.10).
/// </summary>
public sealed class UsersAdminTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string NadiaPassword = "nadia-pass-123";

    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private DialerHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private long _campaignId;
    private long _chenId;

    public async Task InitializeAsync()
    {
        _host = await DialerHost.StartAsync();
        _campaignId = await _host.CreateCampaignAsync("Winter renewals");
        _chenId = await _host.CreateAgentAsync("Chen Wei");
        await _host.AssignAsync(_campaignId, _chenId);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
        Directory.CreateDirectory(DeskAndWallTests.ScreenshotFolder);
    }

    [Fact]
    public async Task Admin_creates_a_user_links_an_agent_and_disables_it_and_the_users_desk_session_is_gone()
    {
        var admin = await SignInAsync(DialerHost.AdminUser, DialerHost.AdminPassword, "**/wall.html");
        await admin.GotoAsync("/users.html");

        // A new agent user, with a new agent record made with it.
        await admin.Locator("#userName").FillAsync("nadia");
        await admin.Locator("#password").FillAsync(NadiaPassword);
        await admin.Locator("#role").SelectOptionAsync("agent");
        await admin.Locator("#agentId").SelectOptionAsync("new");
        await admin.Locator("#agentName").FillAsync("Nadia Haddad");
        await admin.Locator("#create").ClickAsync();
        var row = admin.Locator("#users tbody tr", new() { Has = admin.Locator("td:first-child", new() { HasTextRegex = new Regex("^nadia$") }) });
        await Expect(row.Locator("select[aria-label='Agent of nadia'] option:checked")).ToHaveTextAsync("Nadia Haddad");
        await Expect(row.Locator(".status")).ToHaveTextAsync("Active");

        // Linked to the agent already working the campaign.
        await row.Locator("select[aria-label='Agent of nadia']").SelectOptionAsync(new SelectOptionValue { Label = "Chen Wei" });
        await Expect(row.Locator("select[aria-label='Agent of nadia'] option:checked")).ToHaveTextAsync("Chen Wei");
        await Expect(admin.Locator("#audit")).ToContainTextAsync("user agent linked");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(DeskAndWallTests.ScreenshotFolder, "users.png"), FullPage = true });

        // Nadia works at the desk as Chen Wei.
        var desk = await SignInAsync("nadia", NadiaPassword, "**/desk.html");
        await Expect(desk.Locator("#who")).ToContainTextAsync("Chen Wei");
        await Expect(desk.Locator("#campaign option")).ToHaveTextAsync("Winter renewals");
        Assert.Equal(200, await StatusOfMeAsync(desk));

        // Disabled: her session ends at once, everywhere; the desk finds itself signed out and goes to the sign-in page.
        await row.Locator("button", new() { HasText = "Disable" }).ClickAsync();
        await Expect(row.Locator(".status")).ToHaveTextAsync("Disabled");
        Assert.Equal(401, await StatusOfMeAsync(desk));
        await desk.WaitForURLAsync(new Regex("/login\\.html"), new() { Timeout = 15_000 });
        await admin.ScreenshotAsync(new() { Path = Path.Combine(DeskAndWallTests.ScreenshotFolder, "users-disabled.png"), FullPage = true });
        await desk.ScreenshotAsync(new() { Path = Path.Combine(DeskAndWallTests.ScreenshotFolder, "desk-signed-out.png") });

        // And she cannot sign in again while disabled.
        await desk.Locator("#userName").FillAsync("nadia");
        await desk.Locator("#password").FillAsync(NadiaPassword);
        await desk.Locator("#signin").ClickAsync();
        await Expect(desk.Locator("#login-error")).ToContainTextAsync("disabled");

        await Expect(admin.Locator("#audit")).ToContainTextAsync("user disabled");
        Assert.Empty(_consoleErrors);
        output.WriteLine($"screenshots in {DeskAndWallTests.ScreenshotFolder}");
    }

    private static Task<int> StatusOfMeAsync(IPage page) =>
        page.EvaluateAsync<int>("() => fetch('/api/auth/me', { credentials: 'same-origin' }).then(r => r.status)");

    private async Task<IPage> SignInAsync(string user, string password, string landing)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _host.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            output.WriteLine($"[{user} console] {message.Type}: {message.Text}");

            // The expected 401s of a signed-out page are not errors of the page; a policy violation is.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                _consoleErrors.Enqueue(message.Text);
            }
        };
        await page.GotoAsync("/login.html");
        await page.Locator("#userName").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#signin").ClickAsync();
        await page.WaitForURLAsync(landing);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            output.WriteLine(_host.Output.Length > 4000 ? _host.Output[^4000..] : _host.Output);
            await _host.DisposeAsync();
        }
    }
}
