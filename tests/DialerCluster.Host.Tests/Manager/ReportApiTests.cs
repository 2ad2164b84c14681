using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>Reports over HTTP: the table and chart a page shows, the same table exported to .csv and .xlsx, and bad filters.</summary>
public sealed class ReportApiTests(ReportApiTests.World world) : IClassFixture<ReportApiTests.World>
{
    private readonly DialerApiFactory _factory = world.Factory;
    private readonly long _campaign = world.Campaign;

    [Fact]
    public async Task The_funnel_shows_its_table_and_chart_and_exports_exactly_that_table()
    {
        using var api = await _factory.AdminAsync();
        var day = _factory.Clock.Day();
        var query = $"from={day}&to={day}&campaignId={_campaign}";

        var report = await api.GetJsonAsync($"/api/reports/funnel?{query}");
        var csv = await DownloadAsync(api, $"/api/reports/funnel/export?format=csv&{query}", "text/csv");
        var xlsx = await DownloadAsync(api, $"/api/reports/funnel/export?format=xlsx&{query}", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        Assert.Equal("Funnel conversion", report.GetProperty("title").GetString());
        string[][] expected =
        [
            ["Stage", "Cases reached", "Of all created %", "On to next stage %", "Resigned from here"],
            ["New", "3", "100.0", "66.7", "0"],
            ["In acquisition", "2", "66.7", "0.0", "1"],
            ["Offered", "0", "0.0", "", "0"],
            ["Won", "0", "0.0", "", ""],
        ];
        Assert.Equal(expected, Shown(report));
        Assert.Equal(expected, CsvRows(csv));
        Assert.Equal(expected, XlsxRows(xlsx));
        var chart = report.GetProperty("chart");
        Assert.Equal("bar", chart.GetProperty("type").GetString());
        Assert.Equal([3.0, 2, 0, 0], chart.GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task Exports_are_named_for_the_report_and_period_and_a_text_that_looks_like_a_formula_is_defused_in_the_csv()
    {
        using var api = await _factory.AdminAsync();
        var day = _factory.Clock.Day();

        using var response = await api.GetAsync($"/api/reports/resignations/export?format=csv&from={day}&to={day}");
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal($"resignations-{day}-{day}.csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.StartsWith("\uFEFFReason,Cases,Share %", text, StringComparison.Ordinal);
        Assert.Contains("\"'=Too expensive\",1,100.0,0,1,0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_results_forecast_and_costs_answer_for_the_same_period()
    {
        using var api = await _factory.AdminAsync();
        var day = _factory.Clock.Day();

        var agents = await api.GetJsonAsync($"/api/reports/agents?from={day}&to={day}");
        var forecast = await api.GetJsonAsync($"/api/reports/forecast?campaignId={_campaign}&weeks=4");
        var costs = await api.GetJsonAsync($"/api/reports/costs?from={day}&to={day}&campaignId={_campaign}");

        var rory = Shown(agents).Single(r => r[0] == "Rory");
        Assert.Equal(["Rory", "1", "0.1", "0", "", "0", "0", "0", "0", "", "0"], rory);
        var weeks = Shown(forecast).Skip(1).ToArray();
        Assert.Equal(12 + 4, weeks.Length);
        Assert.All(weeks.Take(12), w => Assert.Equal("0", w[1]));
        Assert.All(weeks.Skip(12), w => Assert.Equal("", w[1]));
        Assert.Equal(_factory.Clock.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), weeks[12][0]);
        Assert.Equal("line", forecast.GetProperty("chart").GetProperty("type").GetString());
        var campaign = Shown(costs)[1];
        Assert.Equal("Report campaign", campaign[0]);
        Assert.Equal(("6", "0.60", "100.00"), (campaign[2], campaign[4], campaign[8]));
    }

    [Fact]
    public async Task An_export_given_the_pages_moment_counts_exactly_what_the_page_showed_even_as_calls_come_in()
    {
        using var api = await _factory.AdminAsync();
        var query = $"from={_factory.Clock.Day()}&to={_factory.Clock.Day()}&campaignId={_campaign}";
        var shown = await api.GetJsonAsync($"/api/reports/call-outcomes?{query}");
        var asOf = Uri.EscapeDataString(shown.GetProperty("asOf").GetString()!);

        // A call comes in after the page was read.
        _factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var calls = _factory.Services.GetRequiredService<ICallStore>();
        var caseId = (await api.GetJsonAsync($"/api/campaigns/{_campaign}/cases")).GetProperty("items")[0].Id();
        var late = await calls.StartAsync(new CallStart(caseId, _campaign, null, "+4930100", _factory.Clock.Now), CancellationToken.None);
        await calls.EndAsync(new CallEnd(late, null, null, _factory.Clock.Now.AddSeconds(20), CallOutcome.NoAnswer, false), CancellationToken.None);

        var pinned = CsvRows(await DownloadAsync(api, $"/api/reports/call-outcomes/export?format=csv&{query}&asOf={asOf}", "text/csv"));
        var fresh = CsvRows(await DownloadAsync(api, $"/api/reports/call-outcomes/export?format=csv&{query}", "text/csv"));

        Assert.Equal(Shown(shown), pinned);
        Assert.NotEqual(Shown(shown), fresh);
        Assert.Contains(fresh, row => row[0] == "No answer");
    }

    [Theory]
    [InlineData("/api/reports/funnel?from=2025-13-01", "from")]
    [InlineData("/api/reports/funnel?from=2025-03-10&to=2025-03-01", "to")]
    [InlineData("/api/reports/funnel?from=2023-01-01&to=2025-01-01", "to")]
    [InlineData("/api/reports/agents?campaignId=abc", "campaignId")]
    [InlineData("/api/reports/forecast?weeks=53", "weeks")]
    [InlineData("/api/reports/funnel/export?format=pdf", "format")]
    public async Task A_bad_filter_is_a_400_naming_it(string path, string field)
    {
        using var api = await _factory.AdminAsync();

        var problem = await api.GetJsonAsync(path, HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ProblemFields());
    }

    [Fact]
    public async Task An_unknown_report_is_a_404_naming_the_known_ones()
    {
        using var api = await _factory.AdminAsync();

        var problem = await api.GetJsonAsync("/api/reports/happiness", HttpStatusCode.NotFound);

        Assert.Contains("sales-cycle", problem.GetProperty("errors").GetProperty("report")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_reports_and_their_formats()
    {
        using var api = await _factory.AdminAsync();

        var document = await api.GetJsonAsync("/openapi/v1.json");

        var export = document.GetProperty("paths").GetProperty("/api/reports/{report}/export").GetProperty("get").GetProperty("parameters").EnumerateArray().ToArray();
        var report = export.Single(p => p.GetProperty("name").GetString() == "report").GetProperty("schema").GetProperty("enum");
        var format = export.Single(p => p.GetProperty("name").GetString() == "format").GetProperty("schema").GetProperty("enum");
        Assert.Contains("lead-sources", report.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["csv", "xlsx"], format.EnumerateArray().Select(e => e.GetString()));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/calls/{id}/rating", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/reminders", out _));
    }

    /// <summary>One host with a campaign, three cases (two interested, one of them then resigned) and one talked call, seeded once.</summary>
    public sealed class World : IAsyncLifetime
    {
        public DialerApiFactory Factory { get; } = new();

        public long Campaign { get; private set; }

        public async Task InitializeAsync()
        {
            using var api = await Factory.AdminAsync();
            Campaign = (await api.PostAsync("/api/campaigns", new
            {
                name = "Report campaign",
                costs = new { agentHourCost = 30, callMinuteCost = 0.1, budget = 700, budgetPeriod = "week" },
                dealValue = 900,
            }, HttpStatusCode.Created)).Id();
            var agent = (await api.PostAsync("/api/agents", new { name = "Rory" }, HttpStatusCode.Created)).Id();
            var cases = new long[3];
            for (var i = 0; i < cases.Length; i++)
            {
                cases[i] = await api.CaseAsync(Campaign, $"Client {i}");
            }

            var callback = Factory.Clock.Now.AddDays(2);
            var interested = new
            {
                status = "in_acquisition", nextContactAt = callback, acquisitionStage = "demo", leadSource = "Web form",
                expectedCloseDate = DateOnly.FromDateTime(callback.UtcDateTime.AddDays(10)),
            };
            await api.SaveCaseAsync(cases[0], interested);
            await api.SaveCaseAsync(cases[1], interested);
            await api.SaveCaseAsync(cases[1], new { status = "resigned", resignationReason = "=Too expensive" });

            // One talked call of 6 minutes for the agent, started and ended through the real call store.
            var calls = Factory.Services.GetRequiredService<ICallStore>();
            var started = Factory.Clock.Now.AddMinutes(-10);
            var call = await calls.StartAsync(new CallStart(cases[0], Campaign, agent, "+4930100", started), CancellationToken.None);
            await calls.EndAsync(new CallEnd(call, agent, started.AddSeconds(30), started.AddSeconds(390), CallOutcome.Talked, false), CancellationToken.None);
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    /// <summary>The table as the page shows it: the labels, then each row's cells written as the column's kind says.</summary>
    private static string[][] Shown(JsonElement report)
    {
        var kinds = report.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("kind").GetString()).ToArray();
        var header = report.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("label").GetString()!).ToArray();
        var rows = report.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select((cell, i) => Cell(kinds[i]!, cell)).ToArray());
        return [header, .. rows];
    }

    private static string Cell(string kind, JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => cell.GetString()!,
        _ => kind switch
        {
            "count" => cell.GetInt64().ToString(CultureInfo.InvariantCulture),
            "percent" => cell.GetDecimal().ToString("0.0", CultureInfo.InvariantCulture),
            "money" => cell.GetDecimal().ToString("0.00", CultureInfo.InvariantCulture),
            _ => cell.GetDecimal().ToString("0.##", CultureInfo.InvariantCulture),
        },
    };

    private static async Task<byte[]> DownloadAsync(HttpClient api, string path, string contentType)
    {
        using var response = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(contentType, response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static string[][] CsvRows(byte[] csv) =>
        Encoding.UTF8.GetString(csv).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToArray();

    private static string[][] XlsxRows(byte[] xlsx)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return sheet.Descendants<Row>().Select(row => row.Elements<Cell>().Select(cell => cell.DataType?.Value == CellValues.InlineString
            ? cell.InlineString!.Text!.Text
            : cell.CellValue?.Text ?? "").ToArray()).ToArray();
    }
}
