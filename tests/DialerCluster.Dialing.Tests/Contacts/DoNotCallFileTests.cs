using System.Text;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Tests.Contacts;

public sealed class DoNotCallFileTests
{
    private static readonly DateTimeOffset At = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_csv_gives_each_number_in_E164_with_its_reason_or_the_default_one()
    {
        var file = await ReadCsv("Number;Comment\n020 7946 0001;asked twice\n+1 202 555 0100;\n", defaultReason: "Complaint");

        Assert.Equal(
            [new DoNotCallEntry("+442079460001", "asked twice", At), new DoNotCallEntry("+12025550100", "Complaint", At)],
            file.Entries);
        Assert.Empty(file.Rejected);
        Assert.Equal(2, file.Rows);
    }

    [Fact]
    public async Task Every_bad_row_is_reported_with_its_row_and_field()
    {
        var file = await ReadCsv(
            "phone,reason\n" +
            "02079460001,ok\n" +
            ",missing\n" +
            "hello,not a number\n" +
            "+44 20 7946 0001,twice\n" +
            "02079460002," + new string('r', DoNotCallFileReader.ReasonMaxLength + 1) + "\n");

        Assert.Equal(["+442079460001"], file.Entries.Select(e => e.Phone));
        Assert.Equal(
            [(3, "phone"), (4, "phone"), (5, "phone"), (6, "reason")],
            file.Rejected.Select(r => (r.Row, r.Field)));
        Assert.Contains("row 2", file.Rejected[2].Reason, StringComparison.Ordinal);
        Assert.Equal("is required", file.Rejected[0].Reason);
    }

    [Fact]
    public async Task An_xlsx_workbook_is_read_through_the_same_sheet_reader_as_contacts()
    {
        var workbook = Workbooks.Build(["Mobile", "Reason"], ["07700 900123", "Opted out on the phone"]);

        await using var stream = new MemoryStream(workbook);
        var file = await new DoNotCallFileReader().ReadAsync(stream, "dnc.xlsx", "GB", null, At);

        Assert.Equal([new DoNotCallEntry("+447700900123", "Opted out on the phone", At)], file.Entries);
    }

    [Fact]
    public async Task A_file_without_a_phone_column_or_without_rows_cannot_be_read()
    {
        var noPhone = await Assert.ThrowsAsync<ContactFileException>(() => ReadCsv("name,reason\nAda,asked\n"));
        var noRows = await Assert.ThrowsAsync<ContactFileException>(() => ReadCsv("phone,reason\n"));
        var xls = await Assert.ThrowsAsync<ContactFileException>(() => ReadCsv("phone\n+442079460001\n", fileName: "old.xls"));

        Assert.Equal("file", noPhone.Field);
        Assert.Contains("No phone column", noPhone.Message, StringComparison.Ordinal);
        Assert.Contains("no numbers", noRows.Message, StringComparison.Ordinal);
        Assert.Contains(".xls", xls.Message, StringComparison.Ordinal);
    }

    private static async Task<DoNotCallFile> ReadCsv(string text, string? defaultReason = null, string fileName = "dnc.csv")
    {
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return await new DoNotCallFileReader().ReadAsync(stream, fileName, "GB", defaultReason, At);
    }
}
