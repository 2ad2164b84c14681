using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// What managers run the funnel with, in a real browser against the real host: campaign and do-not-call admin, every
/// report with its chart and exports, forecast and cost, the call log with ratings, reminders, and the wall's actions.
/// </summary>
public sealed class ManagerPagesTests(ManagerWorld world, ITestOutputHelper output) : IClassFixture<ManagerWorld>
{
    private static readonly string[] Reports = ["funnel", "agents", "resignations", "sales-cycle", "lead-sources", "call-outcomes", "forecast", "costs"];

    [Fact]
    public async Task A_manager_sets_up_a_campaign_with_agents_and_a_do_not_call_list()
    {
        var page = await world.SignInAsync("sam", ManagerWorld.SupervisorPassword, "**/wall.html");
        await page.Locator("nav a[href='/campaigns-admin.html']").ClickAsync();
        await page.WaitForURLAsync("**/campaigns-admin.html**");

        await page.Locator("#new-campaign").ClickAsync();
        await page.Locator("#f-name").FillAsync("Autumn upgrades");
        await page.Locator("#f-dialMode").SelectOptionAsync("progressive");
        await page.Locator("#f-defaultPriority").SelectOptionAsync("normal");
        await page.Locator("#f-windowStart").FillAsync("08:30");
        await page.Locator("#f-windowEnd").FillAsync("19:00");
        await page.Locator("#f-maxAttempts").FillAsync("4");
        await page.Locator("#f-retryBusy").FillAsync("20");
        await page.Locator("#f-agentHourCost").FillAsync("22.5");
        await page.Locator("#f-callMinuteCost").FillAsync("0.03");
        await page.Locator("#f-budget").FillAsync("8000");
        await page.Locator("#f-budgetPeriod").SelectOptionAsync("month");
        await page.Locator("#f-dealValue").FillAsync("1500");
        await page.Locator($"#agents input[data-agent-id='{world.Carl}']").CheckAsync();
        await page.Locator($"#agents input[data-agent-id='{world.Dana}']").CheckAsync();

        // A caller id that is not E.164 is refused next to its field.
        await page.Locator("#f-callerId").FillAsync("0207946");
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("[id='err-callerId']")).ToContainTextAsync("E.164");
        await page.Locator("#f-callerId").FillAsync("+442079460999");
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("#form-title")).ToHaveTextAsync("Autumn upgrades");
        await Expect(page.Locator("#campaign-list")).ToContainTextAsync("Autumn upgrades");
        await page.ScreenshotAsync(new() { Path = Shot("campaign-settings.png"), FullPage = true });

        var id = long.Parse(new Uri(page.Url).Query.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        var saved = await world.GetAsync($"api/campaigns/{id}");
        Assert.Equal(("progressive", "normal", "+442079460999", "08:30", 4), (
            saved["dialMode"]!.GetValue<string>(), saved["defaultPriority"]!.GetValue<string>(), saved["callerId"]!.GetValue<string>(),
            saved["callingWindow"]!["start"]!.GetValue<string>(), saved["maxAttempts"]!.GetValue<int>()));
        Assert.Equal("00:20:00", saved["retryDelays"]!["busy"]!.GetValue<string>());
        Assert.Equal((22.5m, 0.03m, 8000m, 1500m), (
            saved["costs"]!["agentHourCost"]!.GetValue<decimal>(), saved["costs"]!["callMinuteCost"]!.GetValue<decimal>(),
            saved["costs"]!["budget"]!.GetValue<decimal>(), saved["dealValue"]!.GetValue<decimal>()));
        Assert.Equal([world.Carl, world.Dana], saved["agents"]!.AsArray().Select(a => a!.GetValue<long>()));

        // Editing: Dana leaves the campaign, the budget goes.
        await page.Locator($"#agents input[data-agent-id='{world.Dana}']").UncheckAsync();
        await page.Locator("#f-budget").FillAsync("");
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("#form-version")).ToHaveTextAsync("Version 2");
        var edited = await world.GetAsync($"api/campaigns/{id}");
        Assert.Null(edited["costs"]!["budget"]);
        Assert.Equal([world.Carl], edited["agents"]!.AsArray().Select(a => a!.GetValue<long>()));

        await page.Locator("nav a[href='/dnc.html']").ClickAsync();
        await page.WaitForURLAsync("**/dnc.html");
        await page.Locator("#add-phone").FillAsync("020 7946 0555");
        await page.Locator("#add-country").FillAsync("GB");
        await page.Locator("#add-reason").FillAsync("Asked on the phone");
        await page.Locator("#add-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#entries tbody")).ToContainTextAsync("+442079460555");

        await page.Locator("#import-file").SetInputFilesAsync(Csv("dnc.csv", "phone,reason\n+442079460601,complaint\nnot a number,\n"));
        await page.Locator("#import-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#import-error")).ToContainTextAsync("nothing was imported");
        await Expect(page.Locator("#import-rejected tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#import-rejected tbody")).ToContainTextAsync("3");

        await page.Locator("#import-file").SetInputFilesAsync(Csv("dnc.csv", "phone,reason\n+442079460601,complaint\n+442079460602,\n"));
        await page.Locator("#import-reason").FillAsync("Imported list");
        await page.Locator("#import-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#import-ok")).ToContainTextAsync("2 numbers added");
        await page.Locator("#search").FillAsync("imported");
        await page.Locator("#search-form button").ClickAsync();
        await Expect(page.Locator("#entries tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#entries tbody")).ToContainTextAsync("+442079460602");
        await page.ScreenshotAsync(new() { Path = Shot("do-not-call.png"), FullPage = true });
    }

    [Fact]
    public async Task A_manager_reads_every_report_with_its_chart_and_exports_exactly_the_table_shown()
    {
        var page = await world.SignInAsync("sam", ManagerWorld.SupervisorPassword, "**/wall.html");
        await page.GotoAsync($"/reports.html?campaignId={world.Campaign}");
        await Expect(page.Locator("#report-title")).ToHaveTextAsync("Funnel conversion");

        foreach (var report in Reports)
        {
            await page.Locator($"#report-tabs button[data-report='{report}']").ClickAsync();
            await Expect(page.Locator("#report")).ToHaveAttributeAsync("data-report", report);
            var shown = await ShownAsync(page);
            Assert.True(shown.Length > 1, $"{report}: no rows");
            await Expect(page.Locator("#chart svg .mark").First).ToBeAttachedAsync();

            var csv = await DownloadAsync(page, "#export-csv");
            Assert.Equal(shown, CsvRows(csv));
            var xlsx = await DownloadAsync(page, "#export-xlsx");
            Assert.Equal(shown, XlsxRows(xlsx));
            output.WriteLine($"{report}: {shown.Length - 1} rows, exports match");
            if (report is "funnel" or "agents")
            {
                await page.ScreenshotAsync(new() { Path = Shot($"report-{report}.png"), FullPage = true });
            }
        }

        // What the seeded day shows: six cases created, five interested, two offered, one won; one resigned as too expensive.
        await page.Locator("#report-tabs button[data-report='funnel']").ClickAsync();
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("data-report", "funnel");
        Assert.Equal(["New", "6", "100.0", "83.3", "0"], (await ShownAsync(page))[1]);
        Assert.Equal(["In acquisition", "5", "83.3", "40.0", "1"], (await ShownAsync(page))[2]);
        await Expect(page.Locator("#chart svg rect.mark[data-label='Won'][data-series='Cases reached']")).ToHaveAttributeAsync("data-value", "1");
        await page.Locator("#report-tabs button[data-report='resignations']").ClickAsync();
        await Expect(page.Locator("#report-table tbody")).ToContainTextAsync("Too expensive");
        await page.Locator("#report-tabs button[data-report='call-outcomes']").ClickAsync();
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("data-report", "call-outcomes");
        Assert.Equal(["Talked", "2", "66.7", "2", "0.25", "7.5"], (await ShownAsync(page))[1]);

        // A filter the API refuses is explained on the page.
        await page.Locator("#from").FillAsync("2020-01-01");
        await page.Locator("#apply").ClickAsync();
        await Expect(page.Locator("#report-error")).ToContainTextAsync("366 days");
    }

    [Fact]
    public async Task A_manager_sees_the_forecast_by_three_methods_and_the_cost_per_acquired_client()
    {
        var page = await world.SignInAsync("sam", ManagerWorld.SupervisorPassword, "**/wall.html");
        await page.GotoAsync($"/reports.html?report=forecast&campaignId={world.Campaign}");
        await page.Locator("#weeks").FillAsync("6");
        await page.Locator("#apply").ClickAsync();
        await Expect(page.Locator("#report-table tbody tr")).ToHaveCountAsync(12 + 6);
        await Expect(page.Locator("#chart .chart-legend")).ToHaveTextAsync(new Regex("Actual.*Stage-weighted.*From cycle length.*From trend"));
        var forecast = await ShownAsync(page);
        Assert.Equal("Actual won", forecast[0][1]);
        Assert.Equal("1", forecast[12][1]);
        Assert.All(forecast.Skip(13), week => Assert.NotEqual("", week[3]));
        await Expect(page.Locator("#report-notes")).ToContainTextAsync("Probabilities used");
        await page.ScreenshotAsync(new() { Path = Shot("forecast.png"), FullPage = true });

        await page.Locator("#report-tabs button[data-report='costs']").ClickAsync();
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("data-report", "costs");
        var costs = await ShownAsync(page);
        var row = costs.Single(r => r[0] == ManagerWorld.CampaignName);
        var column = (string name) => Array.IndexOf(costs[0], name);
        Assert.Equal("15", row[column("Call minutes")]);
        Assert.Equal("0.75", row[column("Call cost")]);
        Assert.Equal("1", row[column("Clients acquired")]);
        Assert.Equal(row[column("Cost")], row[column("Cost per acquired client")]);
        Assert.NotEqual("", row[column("Budget used %")]);
        await page.ScreenshotAsync(new() { Path = Shot("cost.png"), FullPage = true });
    }

    [Fact]
    public async Task A_supervisor_finds_a_call_rates_it_and_the_rating_shows_in_the_agents_results()
    {
        var page = await world.SignInAsync("sam", ManagerWorld.SupervisorPassword, "**/wall.html");
        await page.Locator("nav a[href='/calls.html']").ClickAsync();
        await page.WaitForURLAsync("**/calls.html");
        await page.Locator("#day").FillAsync(world.CallDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#filters button[type='submit']").ClickAsync();
        await Expect(page.Locator("#calls tbody tr")).ToHaveCountAsync(3);

        await page.Locator("#agent").SelectOptionAsync(new SelectOptionValue { Label = "Alice Novak" });
        await page.Locator("#outcome").SelectOptionAsync("talked");
        await page.Locator("#filters button[type='submit']").ClickAsync();
        await Expect(page.Locator("#calls tbody tr")).ToHaveCountAsync(1);
        var call = page.Locator("#calls tbody tr").First;
        await Expect(call).ToContainTextAsync("Client A");
        await Expect(call).ToContainTextAsync("10:00");
        await Expect(call.Locator("td").Nth(7)).ToHaveTextAsync("—");

        await call.Locator("button.rate").ClickAsync();
        await page.Locator("#rate-score").SelectOptionAsync("5");
        await page.Locator("#rate-comment").FillAsync("Handled the price objection well");
        await page.Locator("#rate-save").ClickAsync();
        await Expect(page.Locator("#calls tbody tr").First.Locator("td.rating")).ToContainTextAsync("★★★★★");
        await Expect(page.Locator("#calls tbody tr").First.Locator("td.rating")).ToContainTextAsync("price objection");
        await page.ScreenshotAsync(new() { Path = Shot("call-log.png"), FullPage = true });

        await page.GotoAsync($"/reports.html?report=agents&campaignId={world.Campaign}");
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("data-report", "agents");
        var agents = await ShownAsync(page);
        var alice = agents.Single(r => r[0] == "Alice Novak");
        Assert.Equal(("2", "5", "1"), (alice[1], alice[Array.IndexOf(agents[0], "Average rating")], alice[Array.IndexOf(agents[0], "Ratings")]));
    }

    [Fact]
    public async Task Reminders_show_every_callback_to_a_supervisor_and_only_her_own_to_an_agent()
    {
        var supervisor = await world.SignInAsync("sam", ManagerWorld.SupervisorPassword, "**/wall.html");
        await supervisor.GotoAsync("/reminders.html");
        var rows = supervisor.Locator("#reminders tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("Client D");
        await Expect(rows.Nth(0)).ToHaveClassAsync(new Regex("overdue"));
        await Expect(rows.Nth(0)).ToContainTextAsync("Unowned");
        await Expect(rows.Nth(1)).ToContainTextAsync("Client C");
        await Expect(rows.Nth(1)).ToContainTextAsync("Alice Novak");
        await Expect(rows.Nth(2)).ToContainTextAsync("Bob Marsh");
        await Expect(supervisor.Locator("#count")).ToContainTextAsync("1 overdue");
        await supervisor.ScreenshotAsync(new() { Path = Shot("reminders-supervisor.png"), FullPage = true });

        await supervisor.Locator("#owner").SelectOptionAsync(new SelectOptionValue { Label = "Bob Marsh" });
        await supervisor.Locator("#filters button[type='submit']").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await supervisor.Locator("#owner").SelectOptionAsync("");
        await supervisor.Locator("#order").SelectOptionAsync("desc");
        await Expect(rows.Nth(0)).ToContainTextAsync("Client E");

        var agent = await world.SignInAsync("alice", ManagerWorld.AlicePassword, "**/desk.html");
        await agent.Locator("nav a[href='/reminders.html']").ClickAsync();
        await agent.WaitForURLAsync("**/reminders.html");
        await Expect(agent.Locator("#reminders tbody tr")).ToHaveCountAsync(1);
        await Expect(agent.Locator("#reminders tbody")).ToContainTextAsync("Client C");
        await Expect(agent.Locator("#owner-field")).ToBeHiddenAsync();
        await Expect(agent.Locator("#nav")).Not.ToContainTextAsync("Reports");
        await agent.ScreenshotAsync(new() { Path = Shot("reminders-agent.png"), FullPage = true });
    }

    [Fact]
    public async Task A_supervisor_forces_a_break_logs_an_agent_out_and_reassigns_a_case_from_the_wall()
    {
        var wall = await world.SignInAsync("sam", ManagerWorld.SupervisorPassword, "**/wall.html");
        wall.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        var carl = wall.Locator($"#agents tr[data-agent-id='{world.Carl}']");
        await Expect(carl.Locator(".pill")).ToHaveTextAsync("Ready");

        await carl.Locator("button.force-break").ClickAsync();
        await wall.Locator("#force-break-reason").SelectOptionAsync("Coaching");
        await wall.Locator("#force-break-save").ClickAsync();
        await Expect(carl.Locator(".pill")).ToHaveTextAsync("Break · Coaching");
        await carl.Locator("button.history").ClickAsync();
        await Expect(wall.Locator("#history-list")).ToContainTextAsync("Break forced by sam");
        await wall.Locator("#history-cancel").ClickAsync();

        await carl.Locator("button.log-out").ClickAsync();
        await Expect(carl.Locator(".pill")).ToHaveTextAsync("Offline");

        // Dana takes a case of a campaign of its own; the supervisor gives it to Bob.
        var campaign = await world.Host.CreateCampaignAsync("Wall campaign");
        await world.Host.AssignAsync(campaign, world.Dana);
        await world.Host.AddCaseAsync(campaign, "Walk-in client", "+442079467999");
        using var response = await world.Host.Admin.PostAsync($"api/agents/{world.Dana}/next-case?campaignId={campaign}", null);
        response.EnsureSuccessStatusCode();
        var held = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["case"]!["id"]!.GetValue<long>();
        var dana = wall.Locator($"#agents tr[data-agent-id='{world.Dana}']");
        await Expect(dana).ToContainTextAsync($"Case #{held}");
        await dana.Locator("button.reassign").ClickAsync();
        await wall.Locator("#reassign-owner").SelectOptionAsync(new SelectOptionValue { Label = "Bob Marsh" });
        await wall.Locator("#reassign-save").ClickAsync();
        await Expect(wall.Locator("#toasts")).ToContainTextAsync("reassigned");
        await wall.ScreenshotAsync(new() { Path = Shot("wall-actions.png"), FullPage = true });

        var details = await world.GetAsync($"api/cases/{held}");
        Assert.Equal(world.Bob, details["case"]!["ownerAgentId"]!.GetValue<long>());
        var last = details["activities"]!.AsArray().Last()!;
        Assert.Equal(("owner_changed", "sam"), (last["kind"]!.GetValue<string>(), last["by"]!.GetValue<string>()));
    }

    private static string Shot(string name) => Path.Combine(ManagerWorld.ScreenshotFolder, name);

    private static FilePayload Csv(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    /// <summary>The report's table as the page shows it: header labels (as written, not as styled), then each row's cell texts.</summary>
    private static async Task<string[][]> ShownAsync(IPage page)
    {
        var header = (await page.Locator("#report-table thead th").AllTextContentsAsync()).ToArray();
        var rows = new List<string[]> { header };
        foreach (var row in await page.Locator("#report-table tbody tr").AllAsync())
        {
            rows.Add((await row.Locator("td").AllTextContentsAsync()).ToArray());
        }

        return [.. rows];
    }

    private static async Task<byte[]> DownloadAsync(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(link).ClickAsync());
        return await File.ReadAllBytesAsync(await download.PathAsync());
    }

    private static string[][] CsvRows(byte[] csv) =>
        Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(SplitCsv).ToArray();

    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }

    private static string[][] XlsxRows(byte[] xlsx)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return sheet.Descendants<Row>().Select(row => row.Elements<Cell>().Select(cell => cell.DataType?.Value == CellValues.InlineString
            ? cell.InlineString!.Text!.Text
            : Number(cell)).ToArray()).ToArray();
    }

    /// <summary>A number as a spreadsheet shows it in the cell's format: whole, one decimal, two decimals or general.</summary>
    private static string Number(Cell cell)
    {
        if (cell.CellValue?.Text is not { } text)
        {
            return "";
        }

        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var format = (cell.StyleIndex?.Value ?? 0) switch { 1 => "0", 2 => "0.0", 3 => "0.00", _ => "0.##" };
        return value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }
}
