using System.IO.Compression;
using System.Text;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Dialing.Tests.Contacts;

public sealed class XlsxImportTests
{
    private static readonly XCell?[] Header = ["Name", "Phone", "E-mail", "Opted in", "Score"];

    [Fact]
    public async Task Shared_strings_numbers_inline_text_and_sparse_rows_are_read_with_excel_row_numbers()
    {
        var bytes = Workbooks.Build(
        [
            (1, Header),
            (2, ["Ann Smith", new XCell.Number("447700900123"), "ann@example.com", new XCell.Bool(true), new XCell.Number("12.5")]),
            // Row 3 and 4 are missing from the sheet entirely; row 5 skips column C.
            (5, [new XCell.Inline("Bob Jones"), new XCell.Number("4.4770090012399999E+11"), null, new XCell.Bool(false), new XCell.Number("7")]),
            (6, [new XCell.Rich("Cid ", "Cole"), "020 7946 0000", null, null, null]),
            (9, ["Dee", new XCell.Number("7700900125"), "dee@", null, null]),
        ]);

        var result = await Import.Bytes(bytes, "contacts.xlsx");

        Assert.Equal([2, 5, 6], result.Contacts.Select(c => c.Row));
        Assert.Equal(["Ann Smith", "Bob Jones", "Cid Cole"], result.Contacts.Select(c => c.Name));
        Assert.Equal(["+447700900123", "+447700900124", "+442079460000"], result.Contacts.Select(c => c.PrimaryPhone));
        Assert.Equal(new Dictionary<string, string> { ["Opted in"] = "TRUE", ["Score"] = "12.5" }, result.Contacts[0].Attributes);
        Assert.Equal(new Dictionary<string, string> { ["Opted in"] = "FALSE", ["Score"] = "7" }, result.Contacts[1].Attributes);
        Assert.Null(result.Contacts[1].Email);
        Assert.Equal([new RowRejection(9, "email", "invalid e-mail 'dee@': nothing after '@'")], result.Rejected);
    }

    [Fact]
    public async Task Numeric_phone_in_scientific_form_is_exact_because_the_cell_holds_the_number()
    {
        // In a workbook <v>4.4207946E+11</v> is the exact value 442079460000, unlike the same text in a CSV.
        var bytes = Workbooks.Build(
            ["name", "phone"],
            ["Ann", new XCell.Number("4.47700900123E+11")],
            ["Bob", new XCell.Number("4.4207946E+11")]);

        var result = await Import.Bytes(bytes, "contacts.xlsx", "GB");

        Assert.Equal(["+447700900123", "+442079460000"], result.Contacts.Select(c => c.PrimaryPhone));
    }

    [Fact]
    public async Task Number_without_plus_is_read_in_the_default_country_when_it_fits_there()
    {
        // German numbers run from 6 to 13 digits, so a UK number that lost its '+' fits as German:
        // only a '+' (text cell) can tell them apart, and nothing is guessed.
        var bytes = Workbooks.Build(["name", "phone"], ["Ann", new XCell.Number("447700900123")], ["Bob", "+447700900124"]);

        var result = await Import.Bytes(bytes, "contacts.xlsx", "DE");

        Assert.Equal(["+49447700900123", "+447700900124"], result.Contacts.Select(c => c.PrimaryPhone));
    }

    [Theory]
    [InlineData("447700900123", "447700900123")]
    [InlineData("4.47700900123E+11", "447700900123")]
    [InlineData("4.4770090012299999E+11", "447700900123")]
    [InlineData("12.5", "12.5")]
    [InlineData("0.1", "0.1")]
    [InlineData("-3", "-3")]
    [InlineData("not a number", "not a number")]
    public void Numeric_cells_read_as_excel_shows_them(string raw, string expected) =>
        Assert.Equal(expected, XlsxSheetReader.FormatNumber(raw));

    [Fact]
    public async Task Huge_shared_string_rejects_its_row()
    {
        var bytes = Workbooks.Build(
            ["name", "phone", "Notes"],
            ["Ann", "020 7946 0000", new string('x', 30_000)],
            ["Bob", "020 7946 0001", "ok"]);

        var result = await Import.Bytes(bytes, "contacts.xlsx");

        Assert.Equal([new RowRejection(2, "Notes", "cell in column 'Notes' is 30,000 characters long; the limit is 4,000")], result.Rejected);
        Assert.Equal(3, Assert.Single(result.Contacts).Row);
    }

    [Fact]
    public async Task Workbook_named_csv_is_read_as_a_workbook()
    {
        var bytes = Workbooks.Build(["name", "phone"], ["Ann", new XCell.Number("2079460000")]);

        var result = await Import.Bytes(bytes, "contacts.csv");

        Assert.Equal("+442079460000", Assert.Single(result.Contacts).PrimaryPhone);
    }

    [Fact]
    public async Task Csv_named_xlsx_is_read_as_csv()
    {
        var result = await Import.Bytes(Encoding.UTF8.GetBytes("name;phone\nAnn;020 7946 0000\n"), "contacts.xlsx");

        Assert.Equal("+442079460000", Assert.Single(result.Contacts).PrimaryPhone);
    }

    [Fact]
    public async Task Truncated_workbook_is_a_file_error()
    {
        var bytes = Workbooks.Build(["name", "phone"], ["Ann", "020 7946 0000"]);

        var error = await Import.FileError(bytes[..(bytes.Length / 2)], "contacts.xlsx");

        Assert.Equal("file", error.Field);
        Assert.StartsWith("The .xlsx file cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zip_signature_followed_by_garbage_is_a_file_error()
    {
        var bytes = "PK\u0003\u0004"u8.ToArray().Concat(Enumerable.Range(0, 5000).Select(i => (byte)(i * 31))).ToArray();

        var error = await Import.FileError(bytes, "contacts.xlsx");

        Assert.StartsWith("The .xlsx file cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zip_that_is_not_a_workbook_is_a_file_error()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(archive.CreateEntry("notes.txt").Open());
            entry.Write("name,phone\nAnn,020 7946 0000\n");
        }

        var error = await Import.FileError(zip.ToArray(), "contacts.xlsx");

        Assert.StartsWith("The .xlsx file cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Legacy_xls_content_is_a_file_error_whatever_the_name()
    {
        byte[] bytes = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

        var error = await Import.FileError(bytes, "contacts.xlsx");

        Assert.StartsWith("This is an Excel 97-2003 (.xls) or password-protected workbook", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_worksheet_is_a_file_error()
    {
        var error = await Import.FileError(Workbooks.Build(Array.Empty<(int, XCell?[])>()), "contacts.xlsx");

        Assert.Equal("The worksheet is empty: expected a header row (name, phone, …) and one row per contact.", error.Message);
    }

    [Fact]
    public async Task Worksheet_without_phone_column_is_a_file_error()
    {
        var error = await Import.FileError(Workbooks.Build(["name", "email"], ["Ann", "ann@example.com"]), "contacts.xlsx");

        Assert.StartsWith("No phone column in the header (row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_below_title_rows_keeps_the_sheet_row_numbers()
    {
        var bytes = Workbooks.Build(
        [
            (3, ["name", "phone"]),
            (4, ["Ann", "020 7946 0000"]),
            (5, ["Bob", "020 7946 0000"]),
        ]);

        var result = await Import.Bytes(bytes, "contacts.xlsx");

        Assert.Equal(4, Assert.Single(result.Contacts).Row);
        Assert.Equal([new RowRejection(5, "phone", "duplicate of row 4 (+442079460000)")], result.Rejected);
    }
}
