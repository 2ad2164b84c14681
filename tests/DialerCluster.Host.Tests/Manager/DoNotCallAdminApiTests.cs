using System.Net;
using DialerCluster.Dialing.Grains;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Manager;

/// <summary>The do-not-call list from the admin screen's API: import all or nothing, search, and every change audited.</summary>
public sealed class DoNotCallAdminApiTests(DialerApiFactory factory) : IClassFixture<DialerApiFactory>
{
    [Fact]
    public async Task A_file_with_bad_rows_is_refused_naming_each_row_and_nothing_is_listed()
    {
        using var api = await factory.AdminAsync();

        var (status, problem) = await api.UploadAsync("/api/dnc/import", "dnc.csv", "phone,reason\n+442079461001,asked\nnot a phone,\n+442079461002,\n+442079461001,again\n");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["rows[3].phone", "rows[5].phone"], problem.ProblemFields());
        Assert.Equal(2, problem.GetProperty("rejected").GetArrayLength());
        var listed = await api.GetJsonAsync("/api/dnc/entries?search=79461");
        Assert.Equal(0, listed.GetProperty("total").GetInt64());
        Assert.False(factory.Services.GetRequiredService<DoNotCallRegistry>().Contains("+442079461002"));
    }

    [Fact]
    public async Task A_good_file_lists_every_number_at_once_keeps_those_already_listed_and_blocks_dialing_them()
    {
        using var api = await factory.AdminAsync();
        await api.PostAsync("/api/dnc", new { phone = "+442079462001", reason = "asked on the phone" }, HttpStatusCode.Created);

        var (status, imported) = await api.UploadAsync(
            "/api/dnc/import", "dnc.csv", "Number,Comment\n020 7946 2001,\n020 7946 2002,court order\n020 7946 2003,\n", ("defaultCountry", "GB"), ("reason", "Complaint"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((3, 2, 1), (imported.GetProperty("rows").GetInt32(), imported.GetProperty("added").GetInt32(), imported.GetProperty("alreadyListed").GetInt32()));
        var entries = (await api.GetJsonAsync("/api/dnc/entries?search=7946200")).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("phone").GetString(), e.GetProperty("reason").GetString())).ToArray();
        Assert.Equal([("+442079462001", "asked on the phone"), ("+442079462002", "court order"), ("+442079462003", "Complaint")], entries);
        Assert.True(factory.Services.GetRequiredService<DoNotCallRegistry>().Contains("+442079462003"));
        var audit = await factory.AuditAsync("dnc");
        Assert.Equal("dnc.import", Assert.Single(audit).Action);
    }

    [Fact]
    public async Task Entries_are_searched_by_reason_and_paged_and_adding_or_removing_one_is_audited()
    {
        using var api = await factory.AdminAsync();
        await api.PostAsync("/api/dnc", new { phone = "+442079463001", reason = "Litigation risk" }, HttpStatusCode.Created);
        await api.PostAsync("/api/dnc", new { phone = "+442079463002", reason = "litigation" }, HttpStatusCode.Created);

        var found = await api.GetJsonAsync("/api/dnc/entries?search=LITIGATION&pageSize=1&page=2");
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "/api/dnc/+442079463002");
        var bad = await api.GetJsonAsync("/api/dnc/entries?pageSize=0", HttpStatusCode.BadRequest);

        Assert.Equal(2, found.GetProperty("total").GetInt64());
        Assert.Equal("+442079463002", found.GetProperty("items")[0].GetProperty("phone").GetString());
        Assert.Equal(["dnc.remove", "dnc.add"], (await factory.AuditAsync("+442079463002")).Select(a => a.Action));
        Assert.Equal(["pageSize"], bad.ProblemFields());
    }

    [Fact]
    public async Task An_upload_without_a_file_or_with_an_unreadable_one_is_a_400_naming_the_file()
    {
        using var api = await factory.AdminAsync();

        using var empty = new MultipartFormDataContent { { new StringContent("GB"), "defaultCountry" } };
        using var noFile = await api.PostAsync("/api/dnc/import", empty);
        var json = await api.PostAsync("/api/dnc/import", new { }, HttpStatusCode.UnsupportedMediaType);
        var (status, unreadable) = await api.UploadAsync("/api/dnc/import", "dnc.csv", "name,reason\nAda,asked\n");

        Assert.Equal(HttpStatusCode.BadRequest, noFile.StatusCode);
        Assert.Contains("\"file\"", await noFile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["body"], json.ProblemFields());
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["file"], unreadable.ProblemFields());
    }
}
