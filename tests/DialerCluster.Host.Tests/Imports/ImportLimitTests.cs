using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DialerCluster.Host.Tests.Api;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Testing.Workbooks;
using Microsoft.AspNetCore.Hosting;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Imports;

/// <summary>The host with small import limits, to see each refused with 413 naming its setting.</summary>
public sealed class SmallImportLimitsFactory : DialerHostFactory
{
    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Import:MaxFileBytes", "4096");
        builder.UseSetting("Import:MaxRows", "5");
    }
}

public sealed class ImportLimitTests(SmallImportLimitsFactory factory) : IClassFixture<SmallImportLimitsFactory>
{
    [Fact]
    public async Task An_upload_over_the_file_size_limit_is_refused_with_413_naming_the_setting()
    {
        using var api = await factory.AdminAsync();
        var csv = "name,phone,Notes\n" + string.Concat(Enumerable.Range(0, 3).Select(i => $"Lead {i},+4930555{i:D4},{new string('n', 3000)}\n"));

        var problem = await api.ImportAsync("too big", csv, expected: HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(["file"], problem.ProblemFields());
        Assert.Contains("Import:MaxFileBytes", problem.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Fact]
    public async Task An_upload_over_the_limit_sent_without_its_length_is_stopped_part_way_with_413()
    {
        using var api = await factory.AdminAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("name,phone,Notes\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"Lead {i},+4930555{i:D4},{new string('n', 3000)}\n")))), "file", "big.csv");
        form.Add(new StringContent("chunked"), "name");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/contact-groups/import") { Content = form };
        request.Headers.TransferEncodingChunked = true;

        using var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Import:MaxFileBytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_file_with_more_rows_than_the_limit_is_refused_with_413_and_nothing_is_imported()
    {
        using var api = await factory.AdminAsync();
        var phones = ApiCalls.Phones(6);
        var csv = "name,phone\n" + string.Concat(phones.Select((p, i) => $"Lead {i},{p}\n"));

        var problem = await api.ImportAsync("six rows", csv, expected: HttpStatusCode.RequestEntityTooLarge);
        var retry = await api.ImportAsync("five rows", "name,phone\n" + string.Concat(phones.Take(5).Select((p, i) => $"Lead {i},{p}\n")));

        Assert.Contains("more than 5 contact rows", problem.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Contains("Import:MaxRows", problem.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Equal(5, retry.GetProperty("imported").GetInt32());
    }
}

/// <summary>Runs alone: it measures the whole process's memory, which the other test classes would move.</summary>
[CollectionDefinition(nameof(HostileUploadTests), DisableParallelization = true)]
public sealed class HostileUploadCollection;

/// <summary>
/// The two uploads of issue 15 with the default limits: a ~200 KB workbook with one cell of 200 million characters,
/// and a ~600 KB one with 5 million rows. Each is answered at once, and the host's memory stays bounded and returns.
/// </summary>
[Collection(nameof(HostileUploadTests))]
public sealed class HostileUploadTests(ITestOutputHelper output) : IDisposable
{
    // Before the fix the first file took the host from 402 to 1,877 MiB and the second left it at 2.7 GB.
    private const long PeakBound = 400L * 1024 * 1024;
    private const long AfterBound = 40L * 1024 * 1024;

    private readonly DialerApiFactory _factory = new();

    [Fact]
    public async Task Tiny_hostile_workbooks_are_answered_without_costing_the_host_gigabytes()
    {
        using var api = await _factory.AdminAsync();
        var hugeCell = HostileWorkbooks.OneHugeCell(200_000_000, shared: false);
        var hugeSharedCell = HostileWorkbooks.OneHugeCell(200_000_000, shared: true);
        var manyRows = HostileWorkbooks.ManyRows(5_000_000);
        output.WriteLine($"files: one huge cell {HostileWorkbooks.Kilobytes(hugeCell)} (inline), {HostileWorkbooks.Kilobytes(hugeSharedCell)} (shared); 5,000,000 rows {HostileWorkbooks.Kilobytes(manyRows)}");
        var before = Heap();
        using var watch = new PeakWatch();

        var cell = await UploadAsync(api, hugeCell, HttpStatusCode.OK);
        var shared = await UploadAsync(api, hugeSharedCell, HttpStatusCode.RequestEntityTooLarge);
        var rows = await UploadAsync(api, manyRows, HttpStatusCode.RequestEntityTooLarge);
        var peak = watch.Stop();
        var after = Heap();

        var rejection = Assert.Single(cell.GetProperty("rejected").EnumerateArray());
        Assert.Equal("cell in column 'Notes' is 200,000,000 characters long; the limit is 4,000", rejection.GetProperty("reason").GetString());
        Assert.Contains("Import:MaxSharedStringsBytes", shared.GetProperty("errors").GetProperty("file")[0].GetString());
        Assert.Contains("Import:MaxRows", rows.GetProperty("errors").GetProperty("file")[0].GetString());
        output.WriteLine($"managed heap: before {Mib(before)}, peak {Mib(peak)} (+{Mib(peak - before)}), after {Mib(after)} (+{Mib(after - before)})");
        Assert.True(peak - before < PeakBound, $"the heap grew by {Mib(peak - before)} while answering");
        Assert.True(after - before < AfterBound, $"the heap kept {Mib(after - before)} after the imports");
    }

    public void Dispose() => _factory.Dispose();

    private static async Task<JsonElement> UploadAsync(HttpClient api, byte[] workbook, HttpStatusCode expected)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(workbook);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "file", "hostile.xlsx");
        form.Add(new StringContent("hostile"), "name");
        var clock = Stopwatch.StartNew();
        using var response = await api.PostAsync("/api/contact-groups/import", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode} after {clock.Elapsed}: {text[..Math.Min(text.Length, 500)]}");
        Assert.True(text.Length < 64 * 1024, $"a {text.Length:N0}-character answer");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mib(long bytes) => $"{bytes / 1024.0 / 1024.0:N1} MiB";

    /// <summary>The largest managed heap seen, sampled every 20 ms on a thread of its own.</summary>
    private sealed class PeakWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private long _peak;

        public PeakWatch()
        {
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(forceFullCollection: false)));
                    Thread.Sleep(20);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop.Cancel();
            _thread.Join();
            return Interlocked.Read(ref _peak);
        }

        public void Dispose() => _stop.Dispose();
    }
}
