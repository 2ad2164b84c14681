using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DialerCluster.Browser.Tests;

/// <summary>What the browser test classes share: a host and Debian's chromium, a page per signed-in user, and the clean-up.</summary>
internal static class BrowserSession
{
    /// <summary>A fresh browser context signed in through the login page; waits for the page the user's role lands on.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, DialerHost host, string user, string password, string landing, ITestOutputHelper output)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = host.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"[{user} console] {message.Text}");
        await page.GotoAsync("/login.html");
        await page.Locator("#userName").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#signin").ClickAsync();
        await page.WaitForURLAsync(landing);
        return page;
    }

    /// <summary>Closes the browser and the host, printing the host's last output (what it logged during the test).</summary>
    public static async Task DisposeAsync(IBrowser? browser, IPlaywright? playwright, DialerHost? host, ITestOutputHelper output)
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            output.WriteLine(host.Output.Length > 4000 ? host.Output[^4000..] : host.Output);
            await host.DisposeAsync();
        }
    }
}
