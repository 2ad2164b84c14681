using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Reads the first visible worksheet of an .xlsx with the SAX <see cref="OpenXmlReader"/>: one row in
/// memory at a time (the DOM of a 100,000-row sheet costs hundreds of megabytes). Row numbers are
/// Excel's own, so a rejection names the row the user sees.
/// </summary>
internal sealed class XlsxSheetReader : ISheetReader
{
    private readonly SpreadsheetDocument _document;
    private readonly OpenXmlReader _reader;
    private readonly IReadOnlyList<string> _sharedStrings;
    private readonly int _maxCell;
    private readonly StringBuilder _inline = new();
    private int? _lastRowInSheet;
    private int _lastRow;

    private XlsxSheetReader(SpreadsheetDocument document, OpenXmlReader reader, IReadOnlyList<string> sharedStrings, int maxCell)
    {
        _document = document;
        _reader = reader;
        _sharedStrings = sharedStrings;
        _maxCell = maxCell;
    }

    public int ColumnLimit { get; set; } = int.MaxValue;

    public double? Fraction => _lastRowInSheet is > 0 and var total ? Math.Min(1.0, (double)_lastRow / total) : null;

    /// <summary>Opens the workbook; a damaged or non-workbook package is a <see cref="ContactFileException"/>.</summary>
    public static XlsxSheetReader Open(Stream stream, int maxCellLength)
    {
        SpreadsheetDocument? document = null;
        try
        {
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

            var sharedStrings = ReadSharedStrings(workbookPart.SharedStringTablePart);
            var reader = OpenXmlReader.Create(worksheetPart);
            return new XlsxSheetReader(document, reader, sharedStrings, maxCellLength);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            document?.Dispose();
            throw Damaged(ex.Message, ex);
        }
        catch
        {
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

    private static IReadOnlyList<string> ReadSharedStrings(SharedStringTablePart? part)
    {
        if (part is null)
        {
            return [];
        }
        var strings = new List<string>();
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                var item = (SharedStringItem)reader.LoadCurrentElement()!;
                strings.Add(ItemText(item));
            }
        }
        return strings;
    }

    // Rich text keeps its characters in runs; phonetic guides (rPh) are not part of the value.
    private static string ItemText(OpenXmlElement item)
    {
        if (item.GetFirstChild<Text>() is { } plain && item.GetFirstChild<Run>() is null)
        {
            return plain.Text;
        }
        var text = new StringBuilder();
        foreach (var child in item.ChildElements)
        {
            if (child is Text t)
            {
                text.Append(t.Text);
            }
            else if (child is Run run && run.Text is { } runText)
            {
                text.Append(runText.Text);
            }
        }
        return text.ToString();
    }

    private bool ReadRow(SheetRow row)
    {
        var inRow = false;
        var nextColumn = 0;
        var column = 0;
        string? type = null;
        string? value = null;
        var inInline = false;
        var inPhonetic = false;

        while (_reader.Read())
        {
            var elementType = _reader.ElementType;
            if (_reader.IsStartElement)
            {
                if (elementType == typeof(Row))
                {
                    var number = _lastRow + 1;
                    foreach (var attribute in _reader.Attributes)
                    {
                        if (attribute.LocalName == "r" && int.TryParse(attribute.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var r))
                        {
                            number = r;
                        }
                    }
                    _lastRow = number;
                    row.Reset(number);
                    inRow = true;
                    nextColumn = 0;
                }
                else if (elementType == typeof(Cell) && inRow)
                {
                    column = nextColumn;
                    type = null;
                    value = null;
                    foreach (var attribute in _reader.Attributes)
                    {
                        if (attribute.LocalName == "r")
                        {
                            var parsed = ColumnIndex(attribute.Value ?? "");
                            column = parsed >= 0 ? parsed : column;
                        }
                        else if (attribute.LocalName == "t")
                        {
                            type = attribute.Value;
                        }
                    }
                    nextColumn = column + 1;
                }
                else if (elementType == typeof(CellValue) && inRow)
                {
                    value = _reader.GetText();
                }
                else if (elementType == typeof(InlineString))
                {
                    inInline = true;
                    _inline.Clear();
                }
                else if (elementType == typeof(PhoneticRun))
                {
                    inPhonetic = true;
                }
                else if (elementType == typeof(Text) && inInline && !inPhonetic)
                {
                    _inline.Append(_reader.GetText());
                }
                else if (elementType == typeof(SheetDimension))
                {
                    _lastRowInSheet = DimensionLastRow(_reader.Attributes);
                }
            }
            else if (_reader.IsEndElement)
            {
                if (elementType == typeof(Cell) && inRow)
                {
                    Put(row, column, CellText(type, value, inInline));
                    inInline = false;
                }
                else if (elementType == typeof(PhoneticRun))
                {
                    inPhonetic = false;
                }
                else if (elementType == typeof(Row) && inRow)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private string CellText(string? type, string? value, bool inline)
    {
        switch (type)
        {
            case "s":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= _sharedStrings.Count)
                {
                    throw Damaged($"a cell points at shared string '{value}', which does not exist", null);
                }
                return _sharedStrings[index];
            case "inlineStr":
                return inline ? _inline.ToString() : value ?? "";
            case "b":
                return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value ?? "";
            case "str" or "e" or "d":
                return value ?? "";
            default:
                return value is null ? "" : FormatNumber(value);
        }
    }

    private void Put(SheetRow row, int column, string text)
    {
        if (column >= ColumnLimit)
        {
            if (row.ExtraColumn < 0 && !string.IsNullOrWhiteSpace(text))
            {
                row.ExtraColumn = column;
            }
            return;
        }
        while (row.Cells.Count < column)
        {
            row.Cells.Add("");
        }
        var cell = text.Length > _maxCell ? "" : text;
        if (text.Length > _maxCell)
        {
            row.Oversized.Add((column, text.Length));
        }
        if (row.Cells.Count == column)
        {
            row.Cells.Add(cell);
        }
        else
        {
            // Two cells claiming one column: a damaged sheet; keep the later, as Excel does.
            row.Cells[column] = cell;
        }
    }

    private static int? DimensionLastRow(IEnumerable<OpenXmlAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.LocalName == "ref" && attribute.Value is { } range)
            {
                var end = range[(range.IndexOf(':') + 1)..];
                var digits = end.AsSpan().TrimStart("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
                return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : null;
            }
        }
        return null;
    }
}
