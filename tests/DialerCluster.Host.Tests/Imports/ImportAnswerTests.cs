using System.Net;
using System.Text;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;

namespace DialerCluster.Host.Tests.Imports;

/// <summary>What an import answers through the real host: a capped list with the rest downloadable, and no empty groups.</summary>
public sealed class ImportAnswerTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task The_answer_lists_the_first_hundred_rejected_rows_says_how_many_more_and_links_the_full_csv()
    {
        using var api = await factory.AdminAsync();
        var phones = ApiCalls.Phones(1);
        var csv = new StringBuilder("name,phone\n").Append($"Good Lead,{phones[0]}\n");
        for (var i = 0; i < 250; i++)
        {
            csv.Append("No Phone ").Append(i).Append(",\n");
        }

        var answer = await api.ImportAsync("mostly bad", csv.ToString());

        Assert.Equal(1, answer.GetProperty("imported").GetInt32());
        Assert.Equal(250, answer.GetProperty("rejectedRows").GetInt32());
        Assert.Equal(100, answer.GetProperty("rejected").GetArrayLength());
        Assert.Equal(150, answer.GetProperty("rejectedNotShown").GetInt32());
        var link = answer.GetProperty("rejectedCsv").GetString()!;
        Assert.Equal($"/api/contact-groups/imports/{answer.GetProperty("importId").GetString()}/rejected.csv", link);

        using var download = await api.GetAsync(link);
        var file = await download.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.StartsWith("text/csv", download.Content.Headers.ContentType?.ToString());
        Assert.Equal("rejected-rows-leads.csv", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = file.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(251, lines.Length);
        Assert.Equal("row,field,reason", lines[0]);
        Assert.Equal("3,phone,missing phone", lines[1]);
        Assert.Equal("252,phone,missing phone", lines[^1]);
    }

    [Fact]
    public async Task The_rejected_rows_are_kept_for_the_importing_user_only()
    {
        using var admin = await factory.AdminAsync();
        await admin.PostAsync("/api/users", new { userName = "other-supervisor", password = "other-pass-1234", role = "supervisor" }, HttpStatusCode.Created);
        using var other = await factory.SignedInAsync("other-supervisor", "other-pass-1234");
        var answer = await admin.ImportAsync("one bad row", $"name,phone\nGood,{ApiCalls.Phones(1)[0]}\nBad,12ab\n");
        var link = answer.GetProperty("rejectedCsv").GetString()!;

        var (status, problem) = await other.SendAsync(HttpMethod.Get, link);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(["importId"], problem.ProblemFields());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task A_cell_that_would_run_as_a_formula_is_escaped_in_the_downloaded_csv()
    {
        using var api = await factory.AdminAsync();
        var answer = await api.ImportAsync("formula", $"name,phone,=HYPERLINK(\"http://x\")\nAnn,{ApiCalls.Phones(1)[0]},{new string('x', 5000)}\n");

        var file = await api.GetStringAsync(answer.GetProperty("rejectedCsv").GetString());

        var line = file.Split('\n')[1];
        Assert.DoesNotContain(",=HYPERLINK", line);
        Assert.Contains("'=HYPERLINK", line);
    }

    [Fact]
    public async Task Reimporting_contacts_that_all_exist_creates_no_empty_group_and_says_so()
    {
        using var api = await factory.AdminAsync();
        var phones = ApiCalls.Phones(3);
        var csv = $"name,phone\nA,{phones[0]}\nB,{phones[1]}\n";
        var first = (await api.ImportAsync("first", csv)).GetProperty("groupId").GetInt64();

        var again = await api.ImportAsync("again", csv);
        var next = (await api.ImportAsync("next", $"name,phone\nC,{phones[2]}\n")).GetProperty("groupId").GetInt64();

        Assert.Equal(System.Text.Json.JsonValueKind.Null, again.GetProperty("groupId").ValueKind);
        Assert.Equal(0, again.GetProperty("imported").GetInt32());
        Assert.Equal("Every contact in the file already exists (2 rows), so no contact group was created.", again.GetProperty("note").GetString());
        Assert.Equal(first + 1, next);
    }
}
