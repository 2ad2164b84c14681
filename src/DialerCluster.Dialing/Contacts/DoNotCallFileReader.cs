using System.Globalization;
using System.Text;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Reads a do-not-call file (.csv or .xlsx, through the contact import's sheet readers): a header with a phone column
/// (any name a contact import takes: phone, mobile, number…) and optionally a reason column (reason, note, comment).
/// Every bad row is reported: a missing or invalid number, a too-long reason, a number listed twice in the file.
/// Pure: a stream in, the rows and the rejections out; the caller stores the rows only when nothing was rejected.
/// </summary>
public sealed class DoNotCallFileReader
{
    public const int MaxRows = 200_000;
    public const int ReasonMaxLength = 500;

    private static readonly string[] ReasonHeaders = ["reason", "note", "notes", "comment", "comments", "why"];

    private readonly ContactImportOptions _options;

    /// <param name="options">The contact import's limits (cell length, columns, a workbook's unpacked size), so a
    /// do-not-call file is read as defensively as a contact file.</param>
    public DoNotCallFileReader(ContactImportOptions? options = null) => _options = options ?? ContactImportOptions.Default;

    /// <exception cref="ContactFileException">The file cannot be read at all (field "file"), or the default country is unknown.</exception>
    public async Task<DoNotCallFile> ReadAsync(Stream stream, string fileName, string? defaultCountry, string? defaultReason, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!string.IsNullOrWhiteSpace(defaultCountry) && !PhoneNumber.IsSupportedCountry(defaultCountry))
        {
            throw new ContactFileException("defaultCountry", $"Unknown default country '{defaultCountry}'. Use an ISO 3166 code: {string.Join(", ", PhoneNumber.SupportedCountries)}.");
        }

        ContactImportReader.CheckExtension(fileName);
        var owned = stream.CanSeek ? null : new MemoryStream();
        try
        {
            if (owned is not null)
            {
                await stream.CopyToAsync(owned, ct).ConfigureAwait(false);
                owned.Position = 0;
            }

            var input = owned ?? stream;
            using var sheet = await ContactImportReader.SniffAsync(input, ct).ConfigureAwait(false) switch
            {
                ContactImportReader.FileFormat.Workbook => XlsxSheetReader.Open(input, _options),
                ContactImportReader.FileFormat.Utf16 => new CsvSheetReader(input, Encoding.Unicode, _options.MaxCellLength),
                ContactImportReader.FileFormat.Utf16BigEndian => new CsvSheetReader(input, Encoding.BigEndianUnicode, _options.MaxCellLength),
                _ => (ISheetReader)new CsvSheetReader(input, CsvSheetReader.StrictUtf8(), _options.MaxCellLength),
            };
            return await ReadRowsAsync(sheet, string.IsNullOrWhiteSpace(defaultCountry) ? null : defaultCountry.Trim().ToUpperInvariant(), defaultReason, at, ct).ConfigureAwait(false);
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<DoNotCallFile> ReadRowsAsync(ISheetReader sheet, string? country, string? defaultReason, DateTimeOffset at, CancellationToken ct)
    {
        var row = new SheetRow();
        sheet.ColumnLimit = _options.MaxColumns;
        var header = false;
        while (!header && await sheet.ReadAsync(row, ct).ConfigureAwait(false))
        {
            header = !row.IsBlank;
        }

        if (!header)
        {
            throw new ContactFileException("file", "The file is empty: expected a header row (phone, reason) and one row per number.");
        }

        var cells = row.Cells.Select(c => c.Trim().TrimStart('\uFEFF')).ToArray();
        var phoneColumn = Array.FindIndex(cells, c => ContactColumns.Classify(c) == ContactField.Phone);
        if (phoneColumn < 0)
        {
            throw new ContactFileException("file", $"No phone column in the header (row {row.Number}). Name one column phone or number, and optionally one reason.");
        }

        var reasonColumn = Array.FindIndex(cells, c => ReasonHeaders.Contains(Key(c)));
        var entries = new List<DoNotCallEntry>();
        var rejected = new List<RowRejection>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = 0;
        while (await sheet.ReadAsync(row, ct).ConfigureAwait(false))
        {
            if (row.IsBlank)
            {
                continue;
            }

            if (++rows > MaxRows)
            {
                throw new ContactFileException("file", string.Create(CultureInfo.InvariantCulture, $"The file has more than {MaxRows:N0} numbers: split it."));
            }

            if (row.Oversized.Count > 0)
            {
                rejected.Add(new RowRejection(row.Number, row.Oversized[0].Column == reasonColumn ? "reason" : "phone", $"a cell is longer than {_options.MaxCellLength} characters"));
                continue;
            }

            var raw = row.Cell(phoneColumn).Trim();
            var reason = reasonColumn >= 0 && row.Cell(reasonColumn).Trim() is { Length: > 0 } given ? given : defaultReason;
            if (raw.Length == 0)
            {
                rejected.Add(new RowRejection(row.Number, "phone", "is required"));
            }
            else if (!PhoneNumber.TryNormalize(raw, country, out var e164, out var why))
            {
                rejected.Add(new RowRejection(row.Number, "phone", $"'{raw}' is not a phone number: {why}"));
            }
            else if (reason is { Length: > ReasonMaxLength })
            {
                rejected.Add(new RowRejection(row.Number, "reason", $"must be at most {ReasonMaxLength} characters"));
            }
            else if (!firstRowOf.TryAdd(e164, row.Number))
            {
                rejected.Add(new RowRejection(row.Number, "phone", $"{e164} is already on row {firstRowOf[e164]} of this file"));
            }
            else
            {
                entries.Add(new DoNotCallEntry(e164, reason, at));
            }
        }

        if (rows == 0)
        {
            throw new ContactFileException("file", $"The file has a header row (row {row.Number}) but no numbers.");
        }

        return new DoNotCallFile(entries, rejected, rows);
    }

    private static string Key(string header) =>
        new(header.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());
}

/// <summary>A do-not-call file as read: the numbers to list (E.164), the rows refused with why, and how many rows it had.</summary>
public sealed record DoNotCallFile(IReadOnlyList<DoNotCallEntry> Entries, IReadOnlyList<RowRejection> Rejected, int Rows);
