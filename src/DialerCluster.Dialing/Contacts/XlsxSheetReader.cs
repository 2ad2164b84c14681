using System.Globalization;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Reads the first visible worksheet of an .xlsx one row at a time with a plain <see cref="XmlReader"/> over the
/// part's stream: cell text is read in chunks and cut at the cell limit, so no cell, however long, is ever held whole
/// (the Open XML SDK's reader hands out a node's whole text). The zip's declared sizes are checked before the workbook
/// is opened, and the sheet and shared strings are counted as they inflate. Row numbers are Excel's own, so a
/// rejection names the row the user sees.
/// </summary>
internal sealed class XlsxSheetReader : ISheetReader
{
    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private readonly SpreadsheetDocument _document;
    private readonly XmlReader _reader;
    private readonly SharedStringTable _sharedStrings;
    private readonly CellText _text;
    private readonly char[] _chunk = new char[4096];
    private int? _lastRowInSheet;
    private int _lastRow;

    private XlsxSheetReader(SpreadsheetDocument document, XmlReader reader, SharedStringTable sharedStrings, int maxCell)
    {
        _document = document;
        _reader = reader;
        _sharedStrings = sharedStrings;
        _text = new CellText(maxCell);
    }

    public int ColumnLimit { get; set; } = int.MaxValue;

    public double? Fraction => _lastRowInSheet is > 0 and var total ? Math.Min(1.0, (double)_lastRow / total) : null;

    /// <summary>
    /// Opens the workbook; a damaged or non-workbook package is a <see cref="ContactFileException"/>, one past the
    /// size limits a <see cref="ContactFileException.Limit"/>.
    /// </summary>
    public static XlsxSheetReader Open(Stream stream, ContactImportOptions options)
    {
        SpreadsheetDocument? document = null;
        XmlReader? sheetReader = null;
        try
        {
            var zip = WorkbookZip.Check(stream, options);
            document = SpreadsheetDocument.Open(stream, isEditable: false);
            var workbookPart = document.WorkbookPart
                ?? throw Damaged("it has no workbook (is it a Word or other Office file?)", null);
            var sheet = workbookPart.Workbook?.Sheets?.Elements<Sheet>()
                .FirstOrDefault(s => s.State is null || s.State.Value == SheetStateValues.Visible)
                ?? throw Damaged("it has no visible worksheet", null);
            if (sheet.Id?.Value is not { } id || workbookPart.GetPartById(id) is not WorksheetPart worksheetPart)
            {
                throw Damaged($"the first sheet '{sheet.Name?.Value}' is not a worksheet", null);
            }

            var budget = new InflationBudget(options.MaxUncompressedBytes);
            var sharedStrings = ReadSharedStrings(workbookPart.SharedStringTablePart, zip, budget, options);
            var sheetStream = new CountingPartStream(
                worksheetPart.GetStream(FileMode.Open, FileAccess.Read), budget, options.MaxUncompressedBytes, TooMuchInflated(options));
            sheetReader = XmlReader.Create(sheetStream, XmlSettings);
            return new XlsxSheetReader(document, sheetReader, sharedStrings, options.MaxCellLength);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            sheetReader?.Dispose();
            document?.Dispose();
            throw Damaged(ex.Message, ex);
        }
        catch
        {
            sheetReader?.Dispose();
            document?.Dispose();
            throw;
        }
    }

    public ValueTask<bool> ReadAsync(SheetRow row, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return ValueTask.FromResult(ReadRow(row));
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw Damaged(ex.Message, ex);
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _document.Dispose();
    }

    internal static bool IsDamage(Exception ex) =>
        ex is OpenXmlPackageException or InvalidDataException or FileFormatException or XmlException
            or IOException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException;

    /// <summary>Excel's text for a numeric cell: integers without exponent or decimals (phone numbers stored as numbers).</summary>
    internal static string FormatNumber(string raw)
    {
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return raw;
        }
        // A double keeps 15–17 significant digits: 447700900123 may be stored as 4.4770090012299999E+11.
        var rounded = Math.Round(value);
        if (Math.Abs(rounded) < 1e18 && Math.Abs(value - rounded) <= Math.Abs(value) * 1e-14)
        {
            return ((long)rounded).ToString(CultureInfo.InvariantCulture);
        }
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>0-based column of a cell reference such as "C12"; -1 when malformed.</summary>
    internal static int ColumnIndex(string reference)
    {
        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z')
            {
                break;
            }
            index = (index * 26) + (upper - 'A' + 1);
            if (++letters > 3)
            {
                return -1;
            }
        }
        return letters == 0 ? -1 : index - 1;
    }

    private static ContactFileException Damaged(string detail, Exception? inner)
    {
        var message = $"The .xlsx file cannot be read: {detail}. Open it in Excel and save it again as .xlsx, or export it as CSV UTF-8.";
        return inner is null ? new ContactFileException("file", message) : new ContactFileException("file", message, inner);
    }

    private static Func<ContactFileException> TooMuchInflated(ContactImportOptions options) =>
        () => WorkbookZip.TooBig(options.MaxUncompressedBytes, nameof(options.MaxUncompressedBytes), "its parts inflate to more than");

    private static SharedStringTable ReadSharedStrings(SharedStringTablePart? part, WorkbookZip zip, InflationBudget budget, ContactImportOptions options)
    {
        var table = new SharedStringTable();
        if (part is null)
        {
            return table;
        }

        var limit = options.MaxSharedStringsBytes;
        ContactFileException TooBig() => WorkbookZip.TooBig(limit, nameof(options.MaxSharedStringsBytes), "its shared-string table inflates to more than");
        if (zip.DeclaredSize(part.Uri) > limit)
        {
            throw TooBig();
        }

        var text = new CellText(options.MaxCellLength);
        var chunk = new char[4096];
        using var reader = XmlReader.Create(new CountingPartStream(part.GetStream(FileMode.Open, FileAccess.Read), budget, limit, TooBig), XmlSettings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
            {
                text.Clear();
                ReadRichText(reader, text, chunk);
                table.Add(text);
            }
        }

        return table;
    }

    /// <summary>
    /// The text of an &lt;si&gt; or &lt;is&gt; item: its &lt;t&gt;, or the &lt;t&gt; of each rich-text run; phonetic
    /// guides (&lt;rPh&gt;) are not part of the value. The reader is left on the item's end.
    /// </summary>
    private static void ReadRichText(XmlReader reader, CellText text, char[] chunk)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh")
            {
                reader.Skip(); // already on the node after it
                continue;
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
            {
                ReadContent(reader, text, chunk);
            }

            reader.Read();
        }
    }

    /// <summary>Appends an element's text in chunks; the reader is left on its end element.</summary>
    private static void ReadContent(XmlReader reader, CellText text, char[] chunk)
    {
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    int read;
                    while ((read = reader.ReadValueChunk(chunk, 0, chunk.Length)) > 0)
                    {
                        text.Append(chunk.AsSpan(0, read));
                    }

                    break;
                case XmlNodeType.EndElement when reader.Depth == depth:
                    return;
            }
        }
    }

    private bool ReadRow(SheetRow row)
    {
        var inRow = false;
        var nextColumn = 0;
        var reader = _reader;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "row":
                        var number = _lastRow + 1;
                        if (int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r))
                        {
                            number = r;
                        }

                        _lastRow = number;
                        row.Reset(number);
                        nextColumn = 0;
                        if (reader.IsEmptyElement)
                        {
                            return true;
                        }

                        inRow = true;
                        break;
                    case "c" when inRow:
                        var column = ColumnIndex(reader.GetAttribute("r") ?? "") is >= 0 and var parsed ? parsed : nextColumn;
                        nextColumn = column + 1;
                        ReadCell(row, column, reader.GetAttribute("t"));
                        break;
                    case "dimension":
                        _lastRowInSheet = DimensionLastRow(reader.GetAttribute("ref"));
                        break;
                }
            }
            else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "row" && inRow)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One &lt;c&gt;: its value (&lt;v&gt;) or inline string (&lt;is&gt;); the formula (&lt;f&gt;) is skipped. Leaves the reader on its end.</summary>
    private void ReadCell(SheetRow row, int column, string? type)
    {
        var reader = _reader;
        _text.Clear();
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    if (reader.LocalName == "v" && type != "inlineStr")
                    {
                        ReadContent(reader, _text, _chunk);
                    }
                    else if (reader.LocalName == "is" && type == "inlineStr")
                    {
                        ReadRichText(reader, _text, _chunk);
                    }
                    else
                    {
                        reader.Skip(); // a formula or extension: already on the node after it
                        continue;
                    }
                }

                reader.Read();
            }
        }

        if (column >= ColumnLimit)
        {
            if (row.ExtraColumn < 0 && (_text.IsOversized || !string.IsNullOrWhiteSpace(_text.ToString())))
            {
                row.ExtraColumn = column;
            }

            return;
        }

        var (text, length) = CellValue(type);
        Put(row, column, text, length);
    }

    private (string Text, long Length) CellValue(string? type)
    {
        if (_text.IsOversized)
        {
            return (string.Empty, _text.Length);
        }

        var value = _text.ToString();
        switch (type)
        {
            case "s":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= _sharedStrings.Count)
                {
                    throw Damaged($"a cell points at shared string '{value}', which does not exist", null);
                }

                return _sharedStrings[index];
            case "inlineStr" or "str" or "e" or "d":
                return (value, value.Length);
            case "b":
                var flag = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
                return (flag, flag.Length);
            default:
                var number = value.Length == 0 ? value : FormatNumber(value);
                return (number, number.Length);
        }
    }

    private static void Put(SheetRow row, int column, string text, long length)
    {
        while (row.Cells.Count < column)
        {
            row.Cells.Add("");
        }

        if (length > text.Length)
        {
            row.Oversized.Add((column, length));
        }

        if (row.Cells.Count == column)
        {
            row.Cells.Add(text);
        }
        else
        {
            // Two cells claiming one column: a damaged sheet; keep the later, as Excel does.
            row.Cells[column] = text;
        }
    }

    private static int? DimensionLastRow(string? range)
    {
        if (range is null)
        {
            return null;
        }

        var end = range[(range.IndexOf(':') + 1)..];
        var digits = end.AsSpan().TrimStart("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : null;
    }
}
