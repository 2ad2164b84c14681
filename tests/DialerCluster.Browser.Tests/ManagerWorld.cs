using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace DialerCluster.Browser.Tests;

/// <summary>
/// One host and one browser for the managers' page tests, with a campaign worked today: agents Alice and Bob (users),
/// Carl and Dana (on the wall only), six cases moved by Alice and the admin, and three dialed calls written into the
/// calls table (the dialer writes them there; no API makes them).
/// </summary>
public sealed class ManagerWorld : IAsyncLifetime
{
    public const string SupervisorPassword = "sam-pass-1234";
    public const string AlicePassword = "alice-pass-123";
    public const string BobPassword = "bob-pass-1234";
    public const string CampaignName = "Spring renewals";

    private IPlaywright? _playwright;

    public DialerHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public long Campaign { get; private set; }

    public long Alice { get; private set; }

    public long Bob { get; private set; }

    public long Carl { get; private set; }

    public long Dana { get; private set; }

    /// <summary>Cases 0..5: 0 won, 1 resigned (too expensive), 2 booked by Alice, 3 booked through the API (overdue), 4 Bob's, 5 new.</summary>
    public long[] Cases { get; } = new long[6];

    /// <summary>The UTC day of the three seeded calls: yesterday when the test runs just after midnight.</summary>
    public DateOnly CallDay { get; private set; }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Host = await DialerHost.StartAsync();
        Campaign = (await PostAsync(Host.Admin, "api/campaigns", new
        {
            name = CampaignName,
            dialMode = "preview",
            callingWindow = new { start = "00:00", end = "23:59" },
            costs = new { agentHourCost = 20, callMinuteCost = 0.05, budget = 5000, budgetPeriod = "month" },
            dealValue = 1000,
        }))["id"]!.GetValue<long>();
        Alice = await Host.CreateAgentAsync("Alice Novak");
        Bob = await Host.CreateAgentAsync("Bob Marsh");
        Carl = await Host.CreateAgentAsync("Carl Ortiz");
        Dana = await Host.CreateAgentAsync("Dana Pike");
        foreach (var agent in new[] { Alice, Bob, Carl, Dana })
        {
            await Host.AssignAsync(Campaign, agent);
            await Host.SetStatusAsync(agent, "ready");
        }

        await Host.CreateUserAsync("sam", SupervisorPassword, "supervisor");
        await Host.CreateUserAsync("alice", AlicePassword, "agent", Alice);
        await Host.CreateUserAsync("bob", BobPassword, "agent", Bob);
        for (var i = 0; i < Cases.Length; i++)
        {
            var created = await PostAsync(Host.Admin, $"api/campaigns/{Campaign}/cases", new
            {
                contact = new { name = $"Client {(char)('A' + i)}", phone = $"+44207946{7100 + i}", country = "GB" },
            });
            Cases[i] = created["caseIds"]![0]!.GetValue<long>();
        }

        var now = DateTimeOffset.UtcNow;
        using var alice = await Host.SignedInAsync("alice", AlicePassword);
        await DialerHost.SaveCaseAsync(alice, Cases[0], Interested(now.AddDays(1)));
        await DialerHost.SaveCaseAsync(alice, Cases[0], new { status = "offered", nextContactAt = now.AddDays(2), contractStage = "sent" });
        await DialerHost.SaveCaseAsync(alice, Cases[0], new { status = "won" });
        await DialerHost.SaveCaseAsync(alice, Cases[1], Interested(now.AddDays(1)));
        await DialerHost.SaveCaseAsync(alice, Cases[1], new { status = "resigned", resignationReason = "Too expensive" });
        await DialerHost.SaveCaseAsync(alice, Cases[2], Interested(now.AddHours(2)));
        await DialerHost.SaveCaseAsync(Host.Admin, Cases[3], Interested(now.AddHours(-1)));
        await DialerHost.SaveCaseAsync(Host.Admin, Cases[4], new { status = "offered", nextContactAt = now.AddHours(3), contractStage = "sent", ownerAgentId = Bob });

        // The three calls within the last two hours and on one UTC day, whatever the hour the test runs at.
        var firstCall = now.AddHours(-2);
        if (firstCall.UtcDateTime.Date != now.AddHours(-1).UtcDateTime.Date)
        {
            firstCall = new DateTimeOffset(now.AddHours(-1).UtcDateTime.Date, TimeSpan.Zero);
        }

        CallDay = DateOnly.FromDateTime(firstCall.UtcDateTime);
        await CallAsync(Cases[0], Alice, firstCall, answeredAfter: 10, endedAfter: 610, "talked");
        await CallAsync(Cases[1], Alice, firstCall.AddHours(0.5), answeredAfter: null, endedAfter: 25, "no_answer");
        await CallAsync(Cases[2], Bob, firstCall.AddHours(1), answeredAfter: 5, endedAfter: 305, "talked");

        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task<IPage> SignInAsync(string user, string password, string landing)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Host.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login.html");
        await page.Locator("#userName").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#signin").ClickAsync();
        await page.WaitForURLAsync(landing);
        return page;
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Host.Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"GET {path} → {(int)response.StatusCode}: {text}");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    private static object Interested(DateTimeOffset callback) => new
    {
        status = "in_acquisition",
        nextContactAt = callback,
        acquisitionStage = "Demo scheduled",
        leadSource = "Web form",
        expectedCloseDate = DateOnly.FromDateTime(callback.UtcDateTime.AddDays(14)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)! : throw new InvalidOperationException($"POST {path} → {(int)response.StatusCode}: {text}");
    }

    /// <summary>A dialed call as the dialer records it: a row in the calls table of the host's database.</summary>
    private async Task CallAsync(long caseId, long agentId, DateTimeOffset started, int? answeredAfter, int endedAfter, string outcome)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Host.DatabasePath, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO calls (case_id, campaign_id, agent_id, phone, started_at, answered_at, ended_at, outcome, abandoned)
            VALUES ($case, $campaign, $agent, '+442079460000', $started, $answered, $ended, $outcome, 0)
            """;
        command.Parameters.AddWithValue("$case", caseId);
        command.Parameters.AddWithValue("$campaign", Campaign);
        command.Parameters.AddWithValue("$agent", agentId);
        command.Parameters.AddWithValue("$started", started.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$answered", answeredAfter is { } a ? started.AddSeconds(a).ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$ended", started.AddSeconds(endedAfter).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$outcome", outcome);
        await command.ExecuteNonQueryAsync();
    }
}
