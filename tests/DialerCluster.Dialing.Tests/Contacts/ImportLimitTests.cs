using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Contacts;
using DialerCluster.Testing.Workbooks;

namespace DialerCluster.Dialing.Tests.Contacts;

/// <summary>A small upload must not cost gigabytes: every size and row limit refuses the file whole, naming the setting (issue 15.2).</summary>
public sealed class ImportLimitTests
{
    [Fact]
    public async Task A_workbook_whose_parts_declare_more_than_the_limit_is_refused_before_anything_is_read()
    {
        var bomb = HostileWorkbooks.OneHugeCell(20_000_000, shared: false);

        var error = await Assert.ThrowsAsync<ContactFileException>(() => Import.Bytes(bomb, "bomb.xlsx", options: new() { MaxUncompressedBytes = 8 * 1024 * 1024 }));

        Assert.True(error.IsLimit);
        Assert.Equal("file", error.Field);
        Assert.Contains("Import:MaxUncompressedBytes", error.Message);
        Assert.Contains("8 MiB", error.Message);
    }

    [Fact]
    public async Task A_shared_string_table_over_its_limit_is_refused_naming_the_limit()
    {
        var bomb = HostileWorkbooks.OneHugeCell(3_000_000, shared: true);

        var error = await Assert.ThrowsAsync<ContactFileException>(() => Import.Bytes(bomb, "bomb.xlsx", options: new() { MaxSharedStringsBytes = 1024 * 1024 }));

        Assert.True(error.IsLimit);
        Assert.Contains("shared-string table", error.Message);
        Assert.Contains("Import:MaxSharedStringsBytes", error.Message);
    }

    [Fact]
    public async Task A_zip_that_understates_what_an_entry_inflates_to_is_refused_and_never_inflated_past_its_declaration()
    {
        var liar = HostileWorkbooks.Understating(HostileWorkbooks.OneHugeCell(20_000_000, shared: false), "xl/worksheets/sheet1.xml", 4_000);

        var error = await Import.FileError(liar, "liar.xlsx");

        Assert.False(error.IsLimit);
        Assert.StartsWith("The .xlsx file cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workbook_with_more_rows_than_the_limit_is_refused_naming_the_limit()
    {
        var error = await Assert.ThrowsAsync<ContactFileException>(() => Import.Bytes(HostileWorkbooks.ManyRows(50), "rows.xlsx", options: new() { MaxRows = 10 }));

        Assert.True(error.IsLimit);
        Assert.Contains("more than 10 contact rows", error.Message);
        Assert.Contains("Import:MaxRows", error.Message);
    }

    [Fact]
    public async Task A_csv_with_more_rows_than_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        static byte[] Rows(int count) => Encoding.UTF8.GetBytes("name,phone\n" + string.Concat(Enumerable.Range(0, count).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"Lead {i},+4930555{i:D4}\n"))));

        var error = await Assert.ThrowsAsync<ContactFileException>(() => Import.Bytes(Rows(11), "rows.csv", options: new() { MaxRows = 10 }));
        var atLimit = await Import.Bytes(Rows(10), "rows.csv", options: new() { MaxRows = 10 });

        Assert.True(error.IsLimit);
        Assert.Contains("row 12 is one too many", error.Message);
        Assert.Equal(10, atLimit.Contacts.Count);
    }

    [Fact]
    public async Task A_row_without_a_name_is_rejected_with_its_row_number_and_the_field()
    {
        var result = await Import.Csv(
            "name,phone,company\n" +
            "Ann Smith,020 7946 0000,Acme\n" +
            ",020 7946 0001,Nameless Ltd\n" +
            "   ,020 7946 0002,\n");

        Assert.Equal(
            [new RowRejection(3, "name", "missing name"), new RowRejection(4, "name", "missing name")],
            result.Rejected);
        Assert.Equal("Ann Smith", Assert.Single(result.Contacts).Name);
    }

    [Fact]
    public async Task A_first_or_last_name_alone_is_a_name_and_a_workbook_row_without_either_is_rejected()
    {
        var bytes = Workbooks.Build(
            ["First name", "Last name", "phone"],
            ["Ann", null, "020 7946 0000"],
            [null, "Jones", "020 7946 0001"],
            [null, null, "020 7946 0002"]);

        var result = await Import.Bytes(bytes, "contacts.xlsx");

        Assert.Equal(["Ann", "Jones"], result.Contacts.Select(c => c.Name));
        Assert.Equal([new RowRejection(4, "name", "missing name")], result.Rejected);
    }
}

/// <summary>Allocations are measured with nothing else running (the volume tests' collection runs alone).</summary>
[Collection(nameof(ImportVolumeTests))]
public sealed class HugeCellMemoryTests
{
    [Theory]
    [InlineData(false, 100_000_000)]
    [InlineData(true, 60_000_000)]
    public async Task A_workbook_cell_of_tens_of_millions_of_characters_rejects_its_row_without_ever_being_held(bool shared, int characters)
    {
        var bytes = HostileWorkbooks.OneHugeCell(characters, shared);
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var result = await Import.Bytes(bytes, "huge.xlsx");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var rejection = Assert.Single(result.Rejected);
        Assert.Equal(2, rejection.Row);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"cell in column 'Notes' is {characters:N0} characters long; the limit is 4,000"), rejection.Reason);
        Assert.True(allocated < 32L * 1024 * 1024, $"reading a {HostileWorkbooks.Kilobytes(bytes)} workbook allocated {allocated / 1024 / 1024} MiB");
    }
}
