using System.Globalization;
using System.Text;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Reads a contact import file (.csv or .xlsx, recognised by content as well as name) into contact drafts
/// and per-row rejections. Pure: a stream in, a result out. A file-level problem throws
/// <see cref="ContactFileException"/> before anything is returned, so a caller that stores only a returned
/// result can never leave a half-imported contact group behind.
/// </summary>
public sealed class ContactImportReader
{
    private static readonly string[] TextExtensions = [".csv", ".txt", ".tsv"];
    private static readonly string[] WorkbookExtensions = [".xlsx", ".xlsm"];

    // Compound File Binary: legacy .xls, and also any password-protected .xlsx.
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly ContactImportOptions _options;

    public ContactImportReader(ContactImportOptions? options = null) => _options = options ?? ContactImportOptions.Default;

    /// <param name="stream">The uploaded file; read from its current position, not disposed. Need not be seekable.</param>
    /// <param name="fileName">The name the user uploaded (only its extension is used).</param>
    /// <param name="defaultCountry">ISO 3166-1 alpha-2 for numbers written nationally; null to require +CC on every number.</param>
    /// <param name="progress">Told every <see cref="ContactImportOptions.ProgressInterval"/> rows and at the end.</param>
    /// <exception cref="ContactFileException">The file cannot be imported at all (field "file"), or the default country is unknown (field "defaultCountry").</exception>
    public async Task<ContactImportResult> ReadAsync(
        Stream stream,
        string fileName,
        string? defaultCountry,
        IProgress<ImportProgress>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!string.IsNullOrWhiteSpace(defaultCountry) && !PhoneNumber.IsSupportedCountry(defaultCountry))
        {
            throw new ContactFileException(
                "defaultCountry",
                $"Unknown default country '{defaultCountry}'. Use an ISO 3166 code: {string.Join(", ", PhoneNumber.SupportedCountries)}.");
        }
        var country = string.IsNullOrWhiteSpace(defaultCountry) ? null : defaultCountry.Trim().ToUpperInvariant();

        CheckExtension(fileName);

        // OpenXml needs to seek, and the sniff must look before it reads: a network stream is buffered once.
        var owned = stream.CanSeek ? null : new MemoryStream();
        try
        {
            if (owned is not null)
            {
                await stream.CopyToAsync(owned, ct).ConfigureAwait(false);
                owned.Position = 0;
            }
            var input = owned ?? stream;
            var format = await SniffAsync(input, ct).ConfigureAwait(false);
            using var sheet = format switch
            {
                FileFormat.Workbook => XlsxSheetReader.Open(input, _options),
                FileFormat.Utf16 => new CsvSheetReader(input, Encoding.Unicode, _options.MaxCellLength),
                FileFormat.Utf16BigEndian => new CsvSheetReader(input, Encoding.BigEndianUnicode, _options.MaxCellLength),
                _ => (ISheetReader)new CsvSheetReader(input, CsvSheetReader.StrictUtf8(), _options.MaxCellLength),
            };
            return await ReadRowsAsync(sheet, format, country, progress, ct).ConfigureAwait(false);
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<ContactImportResult> ReadRowsAsync(
        ISheetReader sheet, FileFormat format, string? country, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var row = new SheetRow();
        sheet.ColumnLimit = _options.MaxColumns;
        var headerFound = false;
        while (await sheet.ReadAsync(row, ct).ConfigureAwait(false))
        {
            if (!row.IsBlank)
            {
                headerFound = true;
                break;
            }
        }
        if (!headerFound)
        {
            throw new ContactFileException("file", format == FileFormat.Workbook
                ? "The worksheet is empty: expected a header row (name, phone, …) and one row per contact."
                : "The file is empty: expected a header row (name, phone, …) and one row per contact.");
        }
        CheckHeader(row);

        var headerRow = row.Number;
        var columns = ContactColumns.FromHeader(row.Cells.ToArray(), headerRow);
        sheet.ColumnLimit = columns.Count;
        var builder = new ContactDraftBuilder(columns, country, _options.MaxCellLength);
        var interval = Math.Max(1, _options.ProgressInterval);

        while (await sheet.ReadAsync(row, ct).ConfigureAwait(false))
        {
            if (row.IsBlank)
            {
                continue;
            }
            if (builder.RowsRead == _options.MaxRows)
            {
                throw ContactFileException.Limit(string.Create(CultureInfo.InvariantCulture,
                    $"The file has more than {_options.MaxRows:N0} contact rows (row {row.Number} is one too many), the limit per import ({ContactImportOptions.Section}:{nameof(ContactImportOptions.MaxRows)}). Split it into several files of at most {_options.MaxRows:N0} rows."));
            }

            builder.Add(row);
            if (builder.RowsRead % interval == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Report(new ImportProgress(builder.RowsRead, builder.Accepted, builder.RejectedRows, sheet.Fraction));
            }
        }

        if (builder.RowsRead == 0)
        {
            throw new ContactFileException("file", $"The file has a header row (row {headerRow}) but no contact rows.");
        }
        progress?.Report(new ImportProgress(builder.RowsRead, builder.Accepted, builder.RejectedRows, 1.0));
        return builder.ToResult();
    }

    private void CheckHeader(SheetRow header)
    {
        if (header.ExtraColumn >= 0)
        {
            throw new ContactFileException("file", string.Create(CultureInfo.InvariantCulture,
                $"The header (row {header.Number}) has more than {_options.MaxColumns} columns; this does not look like a contact list."));
        }
        if (header.Oversized.Count > 0 || header.MalformedColumn >= 0)
        {
            var column = ContactColumns.ColumnLetters(header.Oversized.Count > 0 ? header.Oversized[0].Column : header.MalformedColumn);
            throw new ContactFileException("file", string.Create(CultureInfo.InvariantCulture,
                $"The header (row {header.Number}) is malformed: column {column} is not a column title. The first row must name the columns (name, phone, email, …)."));
        }
    }

    private static void CheckExtension(string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? "");
        if (extension.Length == 0
            || TextExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase)
            || WorkbookExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }
        if (extension.Equals(".xls", StringComparison.OrdinalIgnoreCase))
        {
            throw new ContactFileException("file", "Excel 97-2003 workbooks (.xls) are not supported. Save the file as .xlsx or CSV UTF-8.");
        }
        throw new ContactFileException("file", $"Unsupported file type '{extension}'. Upload a .xlsx workbook or a .csv file.");
    }

    /// <summary>Decides the format from the first bytes; the stream is left where it was.</summary>
    private static async Task<FileFormat> SniffAsync(Stream stream, CancellationToken ct)
    {
        var start = stream.Position;
        var head = new byte[8 * 1024];
        var read = 0;
        while (read < head.Length)
        {
            var n = await stream.ReadAsync(head.AsMemory(read), ct).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        stream.Position = start;
        var bytes = head.AsSpan(0, read);

        if (bytes.IsEmpty)
        {
            throw new ContactFileException("file", "The file is empty (0 bytes).");
        }
        if (bytes.StartsWith("PK\u0003\u0004"u8) || bytes.StartsWith("PK\u0005\u0006"u8))
        {
            return FileFormat.Workbook;
        }
        if (bytes.StartsWith(OleSignature))
        {
            throw new ContactFileException(
                "file",
                "This is an Excel 97-2003 (.xls) or password-protected workbook, which cannot be read. Save it as .xlsx without a password, or as CSV UTF-8.");
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return FileFormat.Utf16;
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return FileFormat.Utf16BigEndian;
        }
        if (bytes.StartsWith("%PDF"u8) || bytes.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47])
            || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) || bytes.Contains((byte)0))
        {
            throw new ContactFileException("file", "The file holds binary data, not CSV text or an .xlsx workbook. Upload a .csv (UTF-8) or .xlsx file.");
        }
        return FileFormat.Text;
    }

    private enum FileFormat
    {
        Text,
        Utf16,
        Utf16BigEndian,
        Workbook,
    }
}
