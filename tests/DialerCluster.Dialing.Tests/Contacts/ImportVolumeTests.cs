using System.Diagnostics;
using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Contacts;
using Xunit.Abstractions;

namespace DialerCluster.Dialing.Tests.Contacts;

/// <summary>Runs alone, so the printed CPU time is the import's own.</summary>
[CollectionDefinition(nameof(ImportVolumeTests), DisableParallelization = true)]
public sealed class ImportVolumeCollection;

/// <summary>
/// Large files are checked for correctness only; wall and CPU time are printed, never asserted
/// (two shared cores make timings noise in a unit test).
/// </summary>
[Collection(nameof(ImportVolumeTests))]
public sealed class ImportVolumeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Hundred_thousand_csv_rows_import_with_every_bad_row_accounted_for()
    {
        const int rows = 100_000;
        var text = new StringBuilder("name,phone,email,company,Lead source\n");
        for (var i = 0; i < rows; i++)
        {
            // Every 100th row has a bad phone; every 250th repeats the previous row's number.
            var phone = i % 100 == 99 ? "07700 9OO" : i % 250 == 249 ? Mobile(i - 1) : Mobile(i);
            text.Append(CultureInfo.InvariantCulture, $"Contact {i},{phone},c{i}@example.com,\"Company {i % 977}, Ltd\",web\n");
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var progress = new RecordingProgress();

        var (result, wall, cpu) = await Measure(() => Import.Bytes(bytes, "big.csv", "GB", progress));

        var badPhones = Enumerable.Range(0, rows).Count(i => i % 100 == 99);
        var duplicates = Enumerable.Range(0, rows).Count(i => i % 250 == 249 && i % 100 != 99);
        Assert.Equal(rows - badPhones - duplicates, result.Contacts.Count);
        Assert.Equal(badPhones + duplicates, result.Rejected.Count);
        Assert.Equal("+447000000000", result.Contacts[0].PrimaryPhone);
        Assert.Equal(new RowRejection(251, "phone", "duplicate of row 250 (+447000000248)"), result.Rejected.First(r => r.Reason.StartsWith("duplicate", StringComparison.Ordinal)));
        Assert.Equal(101, progress.Reports.Count); // every 1,000 rows, then the final report
        Assert.Equal(rows, progress.Reports[^1].RowsRead);

        output.WriteLine($"CSV: {rows:N0} rows, {bytes.Length / 1024.0 / 1024.0:F1} MB: {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU ({rows / wall.TotalSeconds:N0} rows/s wall)");
    }

    [Fact]
    public async Task Twenty_thousand_xlsx_rows_stream_with_numeric_phones_and_shared_strings()
    {
        const int rows = 20_000;
        var bytes = Workbooks.Build(
            new[] { (1, new XCell?[] { "Full Name", "Mobile", "Company", "Segment" }) }.Concat(
                Enumerable.Range(0, rows).Select(i => (i + 2, new XCell?[]
                {
                    $"Contact {i}",
                    // Excel stores a typed "+447…" as the number 447…: the '+' is gone.
                    new XCell.Number((447000000000L + i).ToString(CultureInfo.InvariantCulture)),
                    $"Company {i % 300}",
                    i % 2 == 0 ? "A" : "B",
                }))));

        var (result, wall, cpu) = await Measure(() => Import.Bytes(bytes, "big.xlsx", "GB"));

        Assert.Empty(result.Rejected);
        Assert.Equal(rows, result.Contacts.Count);
        Assert.Equal("+447000019999", result.Contacts[^1].PrimaryPhone);
        Assert.Equal(rows + 1, result.Contacts[^1].Row);
        Assert.Equal("Company 299", result.Contacts[299].Company);
        Assert.Equal("B", result.Contacts[^1].Attributes["Segment"]);

        output.WriteLine($"XLSX: {rows:N0} rows, {bytes.Length / 1024.0:F0} KB: {wall.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU ({rows / wall.TotalSeconds:N0} rows/s wall)");
    }

    private static async Task<(ContactImportResult Result, TimeSpan Wall, TimeSpan Cpu)> Measure(Func<Task<ContactImportResult>> import)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = await import();
        clock.Stop();
        process.Refresh();
        return (result, clock.Elapsed, process.TotalProcessorTime - cpuBefore);
    }

    private static string Mobile(int i) => string.Create(CultureInfo.InvariantCulture, $"07{i:D9}");
}
