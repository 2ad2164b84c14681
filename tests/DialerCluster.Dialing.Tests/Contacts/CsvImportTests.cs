using System.Text;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Dialing.Tests.Contacts;

public sealed class CsvImportTests
{
    [Fact]
    public async Task Mixed_file_reports_every_bad_row_with_row_field_and_reason()
    {
        var result = await Import.Csv(
            "name,phone,email,country,timezone,Notes\n" +
            "Ann Smith,020 7946 0000,ann@example.com,,,VIP\n" +
            "Bob,,bob@example.com,,,\n" +
            "Cid,020 7946 00O0,cid@example,,,\n" +
            "Dee,+44 20 7946 0000,,,,\n" +
            "Eve,030 1234567,,DE,,\n" +
            "Fay,07700 900123,,Narnia,,\n" +
            "Gus,07700 900124,,,Mars/Base,\n" +
            "\n" +
            "Hal,\"07700 900125; +1 415 555 0123\",hal@example.com,,America/New_York,\n");

        Assert.Equal(
            [
                new RowRejection(3, "phone", "missing phone"),
                new RowRejection(4, "phone", "invalid phone '020 7946 00O0' in column 'phone': contains letters ('O'); only digits, spaces, + - . ( ) / are allowed"),
                new RowRejection(4, "email", "invalid e-mail 'cid@example': domain 'example' has no '.'"),
                new RowRejection(5, "phone", "duplicate of row 2 (+442079460000)"),
                new RowRejection(7, "country", "unknown country 'Narnia' (use an ISO code such as GB, DE, US or the English name)"),
                new RowRejection(8, "timezone", "unknown time zone 'Mars/Base' (use an IANA id such as Europe/London)"),
            ],
            result.Rejected);
        Assert.Equal(5, result.RejectedRowCount);

        Assert.Equal([2, 6, 10], result.Contacts.Select(c => c.Row));
        var ann = result.Contacts[0];
        Assert.Equal("Ann Smith", ann.Name);
        Assert.Equal(["+442079460000"], ann.Phones);
        Assert.Equal("ann@example.com", ann.Email);
        Assert.Equal("GB", ann.Country);
        Assert.Equal("Europe/London", ann.TimeZone);
        Assert.Equal(new Dictionary<string, string> { ["Notes"] = "VIP" }, ann.Attributes);

        var eve = result.Contacts[1];
        Assert.Equal(["+49301234567"], eve.Phones);
        Assert.Equal("DE", eve.Country);
        Assert.Equal("Europe/Berlin", eve.TimeZone);
        Assert.Empty(eve.Attributes);

        var hal = result.Contacts[2];
        Assert.Equal(["+447700900125", "+14155550123"], hal.Phones);
        Assert.Equal("+447700900125", hal.PrimaryPhone);
        Assert.Equal("America/New_York", hal.TimeZone);
    }

    [Fact]
    public async Task Headers_match_aliases_in_any_case_with_semicolon_delimiter()
    {
        var result = await Import.Csv(
            "Full Name;MOBILE;E-Mail;Company Name;Street Address;Time Zone;Phone 2;Customer ID\n" +
            "Ann Smith;07700 900123;ann@example.com;Acme Ltd;1 High St, London;Europe/London;020 7946 0000;C-17\n");

        var ann = Assert.Single(result.Contacts);
        Assert.Empty(result.Rejected);
        Assert.Equal("Ann Smith", ann.Name);
        Assert.Equal(["+447700900123", "+442079460000"], ann.Phones);
        Assert.Equal("ann@example.com", ann.Email);
        Assert.Equal("Acme Ltd", ann.Company);
        Assert.Equal("1 High St, London", ann.Address);
        Assert.Equal("Europe/London", ann.TimeZone);
        Assert.Equal(new Dictionary<string, string> { ["Customer ID"] = "C-17" }, ann.Attributes);
    }

    [Theory]
    [InlineData("telephone")]
    [InlineData("Phone Number")]
    [InlineData("cell_phone")]
    [InlineData("Tel.")]
    [InlineData("phones")]
    [InlineData("Phone1")]
    public void Phone_column_aliases_are_recognised(string header) =>
        Assert.Equal(ContactField.Phone, ContactColumns.Classify(header));

    [Theory]
    [InlineData("e-mail", "Email")]
    [InlineData("Email Address", "Email")]
    [InlineData("full name", "Name")]
    [InlineData("First Name", "FirstName")]
    [InlineData("surname", "LastName")]
    [InlineData("Organisation", "Company")]
    [InlineData("TZ", "TimeZone")]
    [InlineData("Country Code", "Country")]
    [InlineData("Email 2", "Attribute")]
    [InlineData("Lead source", "Attribute")]
    public void Other_column_aliases_are_recognised(string header, string field) =>
        Assert.Equal(field, ContactColumns.Classify(header).ToString());

    [Fact]
    public async Task First_and_last_name_columns_make_the_name_and_tab_delimiter_is_sniffed()
    {
        var result = await Import.Csv("First Name\tLast Name\tPhone\nAnn\tSmith\t020 7946 0000\n\tCole\t020 7946 0001\n", fileName: "contacts.tsv");

        Assert.Equal(["Ann Smith", "Cole"], result.Contacts.Select(c => c.Name));
    }

    [Fact]
    public async Task Quoted_cells_keep_delimiters_quotes_and_line_breaks_and_rows_count_records()
    {
        var result = await Import.Csv(
            "name,phone,address\r\n" +
            "\"Smith, Ann \"\"The Closer\"\"\",020 7946 0000,\"1 High St\r\nLondon\"\r\n" +
            "Bob, \"020 7946 0001\",\r\n" +
            "Cid,,\r\n");

        Assert.Equal("Smith, Ann \"The Closer\"", result.Contacts[0].Name);
        Assert.Equal("1 High St\r\nLondon", result.Contacts[0].Address);
        Assert.Equal("+442079460001", result.Contacts[1].PrimaryPhone);
        Assert.Equal([new RowRejection(4, "phone", "missing phone")], result.Rejected);
    }

    [Fact]
    public async Task Excel_sep_line_sets_the_delimiter()
    {
        var result = await Import.Csv("sep=;\nname;phone\nAnn, Smith;020 7946 0000\n");

        Assert.Equal("Ann, Smith", Assert.Single(result.Contacts).Name);
    }

    [Fact]
    public async Task Unclosed_quote_is_a_file_error_naming_the_row_it_starts_in()
    {
        var error = await Import.CsvError(
            "name,phone\n" +
            "Ann,020 7946 0000\n" +
            "\"Bob,020 7946 0001\n" +
            "Cid,020 7946 0002\n");

        Assert.Equal("file", error.Field);
        Assert.Contains("quoted cell that starts in row 3, column A is never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_rejects_the_row_not_the_file()
    {
        var result = await Import.Csv("name,phone\n\"Bob\"by,020 7946 0001\nAnn,020 7946 0000\n");

        Assert.Equal([new RowRejection(2, "name", "malformed quotes in column 'name': text follows the closing quote")], result.Rejected);
        Assert.Equal(3, Assert.Single(result.Contacts).Row);
    }

    [Fact]
    public async Task Unquoted_comma_that_shifts_cells_rejects_the_row()
    {
        var result = await Import.Csv("name,phone,company\nAnn,020 7946 0000,Smith, Jones and Co\nBob,020 7946 0001,Acme,,\n");

        Assert.Equal(
            [new RowRejection(2, "column D", "value in column D, beyond the 3 columns of the header (an unquoted comma or semicolon shifts the cells)")],
            result.Rejected);
        Assert.Equal("Acme", Assert.Single(result.Contacts).Company);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("\uFEFF")]
    [InlineData(",,,\n , ,\n")]
    public async Task Empty_file_is_a_file_error(string text)
    {
        var error = await Import.CsvError(text);

        Assert.Equal("file", error.Field);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_without_rows_is_a_file_error()
    {
        var error = await Import.CsvError("name,phone,email\r\n\r\n");

        Assert.Equal("The file has a header row (row 1) but no contact rows.", error.Message);
    }

    [Fact]
    public async Task Missing_phone_header_is_a_file_error_listing_the_columns_found()
    {
        var error = await Import.CsvError("name,email\nAnn,ann@example.com\n");

        Assert.Equal("file", error.Field);
        Assert.Equal(
            "No phone column in the header (row 1, found: 'name', 'email'). Name one column phone, mobile or telephone.",
            error.Message);
    }

    [Fact]
    public async Task Huge_cells_reject_their_row_and_the_rest_imports()
    {
        var huge = new string('x', 1_000_000);
        var hugeQuotedPhone = new string('7', 5_000_000);
        var result = await Import.Csv(
            "name,phone,Notes\n" +
            $"Ann,020 7946 0000,{huge}\n" +
            $"Bob,\"{hugeQuotedPhone}\",\n" +
            "Cid,020 7946 0002,short\n");

        Assert.Equal(
            [
                new RowRejection(2, "Notes", "cell in column 'Notes' is 1,000,000 characters long; the limit is 4,000"),
                new RowRejection(3, "phone", "cell in column 'phone' is 5,000,000 characters long; the limit is 4,000"),
            ],
            result.Rejected);
        Assert.Equal(4, Assert.Single(result.Contacts).Row);
    }

    [Fact]
    public async Task Latin1_bytes_are_a_file_error_naming_the_row_not_mojibake()
    {
        var bytes = Encoding.Latin1.GetBytes("name,phone\nAnn,020 7946 0000\nMüller,020 7946 0001\n");

        var error = await Import.FileError(bytes, "contacts.csv");

        Assert.Equal("file", error.Field);
        Assert.StartsWith("The file is not UTF-8 text: row 3, column A holds bytes that are not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Utf8_with_bom_and_utf16_with_bom_are_read()
    {
        const string text = "name,phone\nMüller,020 7946 0000\n";
        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        foreach (var bytes in new[] { withBom, utf16 })
        {
            var result = await Import.Bytes(bytes, "contacts.csv");
            Assert.Equal("Müller", Assert.Single(result.Contacts).Name);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Binary_garbage_is_a_file_error(bool withZeroBytes)
    {
        var random = new Random(42);
        var bytes = new byte[20_000];
        random.NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = withZeroBytes ? bytes[i] : (byte)(0x80 | bytes[i]);
        }
        bytes[0] = (byte)'n';

        var error = await Import.FileError(bytes, "contacts.csv");

        Assert.Equal("file", error.Field);
        Assert.Contains(withZeroBytes ? "binary data" : "not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_after_a_clean_start_is_a_file_error_too()
    {
        var bytes = Encoding.UTF8.GetBytes("name,phone\n" + string.Concat(Enumerable.Repeat("Ann,020 7946 0000\n", 1_000)) + "x\0y\n");

        var error = await Import.FileError(bytes, "contacts.csv");

        Assert.Equal("The file holds binary data (a NUL character in row 1002); it is not CSV text. Upload a .csv (UTF-8) or .xlsx file.", error.Message);
    }

    [Fact]
    public async Task Duplicates_in_any_writing_are_rejected_naming_the_first_row()
    {
        var text = new StringBuilder("name,phone\n");
        for (var i = 0; i < 300; i++)
        {
            text.Append($"A{i},020 7946 {i:D4}\n");
            text.Append($"B{i},+44 20 7946 {i:D4}\n");
            text.Append($"C{i},0044 (0)20-7946-{i:D4}\n");
        }

        var result = await Import.Csv(text.ToString());

        Assert.Equal(300, result.Contacts.Count);
        Assert.Equal(600, result.Rejected.Count);
        for (var i = 0; i < 300; i++)
        {
            var first = 2 + (3 * i);
            Assert.Equal(first, result.Contacts[i].Row);
            var phone = $"+44207946{i:D4}";
            Assert.Equal(new RowRejection(first + 1, "phone", $"duplicate of row {first} ({phone})"), result.Rejected[2 * i]);
            Assert.Equal(new RowRejection(first + 2, "phone", $"duplicate of row {first} ({phone})"), result.Rejected[(2 * i) + 1]);
        }
    }

    [Fact]
    public async Task A_number_repeated_inside_one_row_is_kept_once()
    {
        var result = await Import.Csv("name,phone,mobile\nAnn,\"020 7946 0000, +44 20 7946 0000\",020-7946-0000\n");

        Assert.Equal(["+442079460000"], Assert.Single(result.Contacts).Phones);
    }

    [Fact]
    public async Task Phones_exported_in_scientific_notation_are_restored_only_when_no_digit_was_lost()
    {
        var result = await Import.Csv("name,phone\nAnn,4.47700900123E+11\nBob,4.477E+11\n");

        Assert.Equal("+447700900123", Assert.Single(result.Contacts).PrimaryPhone);
        Assert.Equal(
            [new RowRejection(3, "phone", "invalid phone '4.477E+11' in column 'phone': written in scientific notation (4.477E+11), so its last digits are lost; format the column as text and export again")],
            result.Rejected);
    }

    [Fact]
    public async Task Country_column_sets_the_country_for_national_numbers_and_the_time_zone()
    {
        var result = await Import.Csv(
            "name,phone,country\n" +
            "Ann,030 1234567,Germany\n" +
            "Bob,512 345 678,pl\n" +
            "Cid,(415) 555-0123,USA\n" +
            "Dee,020 7946 0000,\n",
            defaultCountry: "GB");

        Assert.Equal(["+49301234567", "+48512345678", "+14155550123", "+442079460000"], result.Contacts.Select(c => c.PrimaryPhone));
        Assert.Equal(["DE", "PL", "US", "GB"], result.Contacts.Select(c => c.Country));
        // The US spans six zones: no zone is guessed, so calling-window checks cannot be fooled.
        Assert.Equal(new string?[] { "Europe/Berlin", "Europe/Warsaw", null, "Europe/London" }, result.Contacts.Select(c => c.TimeZone));
    }

    [Theory]
    [InlineData("Europe/Warsaw", "Europe/Warsaw")]
    [InlineData("europe/london", "Europe/London")]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("UTC", "UTC")]
    public async Task Time_zone_cells_resolve_to_IANA_ids(string cell, string expected)
    {
        var result = await Import.Csv($"name,phone,timezone\nAnn,020 7946 0000,{cell}\n");

        Assert.Equal(expected, Assert.Single(result.Contacts).TimeZone);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/localtime")]
    [InlineData("Europe/Nowhere")]
    public async Task Time_zone_cells_that_are_not_zones_are_rejected(string cell)
    {
        var result = await Import.Csv($"name,phone,timezone\nAnn,020 7946 0000,{cell}\n");

        Assert.Equal("timezone", Assert.Single(result.Rejected).Field);
    }

    [Theory]
    [InlineData("ann", "missing '@'")]
    [InlineData("ann@@example.com", "more than one '@' (one address per cell)")]
    [InlineData("ann smith@example.com", "contains spaces")]
    [InlineData("@example.com", "nothing before '@'")]
    [InlineData("ann@", "nothing after '@'")]
    [InlineData("ann..smith@example.com", "misplaced '.' before '@'")]
    [InlineData("ann@example..com", "invalid domain 'example..com'")]
    [InlineData("ann@-example.com", "invalid domain '-example.com'")]
    [InlineData("ann@example.c", "invalid domain 'example.c'")]
    [InlineData("ann@example.com;bob@example.com", "more than one '@' (one address per cell)")]
    public async Task Invalid_email_is_rejected_with_why(string email, string why)
    {
        var result = await Import.Csv($"name,phone,email\nAnn,020 7946 0000,\"{email}\"\n");

        Assert.Equal([new RowRejection(2, "email", $"invalid e-mail '{email}': {why}")], result.Rejected);
    }

    [Theory]
    [InlineData("ann@example.com")]
    [InlineData("ann.smith+sales@mail.example.co.uk")]
    [InlineData("zoë@bücher.de")]
    public async Task Valid_email_is_kept(string email)
    {
        var result = await Import.Csv($"name,phone,email\nAnn,020 7946 0000,{email}\n");

        Assert.Equal(email, Assert.Single(result.Contacts).Email);
    }

    [Fact]
    public async Task National_numbers_without_a_default_country_are_rejected()
    {
        var result = await Import.Bytes(Encoding.UTF8.GetBytes("name,phone\nAnn,020 7946 0000\nBob,+44 20 7946 0001\n"), "c.csv", defaultCountry: null);

        Assert.Equal(3, Assert.Single(result.Contacts).Row);
        Assert.StartsWith("invalid phone '020 7946 0000' in column 'phone': national number without a country", Assert.Single(result.Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_default_country_is_an_error_on_that_field()
    {
        var error = await Import.FileError(Encoding.UTF8.GetBytes("name,phone\nAnn,020 7946 0000\n"), "c.csv", defaultCountry: "XX");

        Assert.Equal("defaultCountry", error.Field);
        Assert.StartsWith("Unknown default country 'XX'.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contacts.pdf", "Unsupported file type '.pdf'. Upload a .xlsx workbook or a .csv file.")]
    [InlineData("contacts.docx", "Unsupported file type '.docx'. Upload a .xlsx workbook or a .csv file.")]
    [InlineData("contacts.xls", "Excel 97-2003 workbooks (.xls) are not supported. Save the file as .xlsx or CSV UTF-8.")]
    public async Task Unsupported_extension_is_a_file_error(string fileName, string message)
    {
        var error = await Import.FileError(Encoding.UTF8.GetBytes("name,phone\nAnn,020 7946 0000\n"), fileName);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_request_body_that_cannot_seek_is_read()
    {
        using var stream = new ForwardOnlyStream(Encoding.UTF8.GetBytes("name,phone\nAnn,020 7946 0000\n"));

        var result = await new ContactImportReader().ReadAsync(stream, "contacts.csv", "GB", null, CancellationToken.None);

        Assert.Single(result.Contacts);
    }

    [Fact]
    public async Task Progress_is_reported_every_interval_and_at_the_end()
    {
        var text = new StringBuilder("name,phone\n");
        for (var i = 0; i < 35; i++)
        {
            text.Append(i == 7 ? "Bad,\n" : $"N{i},020 7946 {i:D4}\n");
        }
        var progress = new RecordingProgress();

        await Import.Bytes(Encoding.UTF8.GetBytes(text.ToString()), "c.csv", "GB", progress, new ContactImportOptions { ProgressInterval = 10 });

        Assert.Equal([10, 20, 30, 35], progress.Reports.Select(p => p.RowsRead));
        Assert.Equal(new ImportProgress(35, 34, 1, 1.0), progress.Reports[^1]);
        Assert.All(progress.Reports, p => Assert.InRange(p.Fraction ?? -1, 0.0, 1.0));
    }

    [Fact]
    public async Task Cancelled_import_stops()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Import.Bytes(Encoding.UTF8.GetBytes("name,phone\nAnn,020 7946 0000\n"), "c.csv", ct: cts.Token));
    }
}
