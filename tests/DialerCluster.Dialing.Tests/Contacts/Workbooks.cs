using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DialerCluster.Dialing.Tests.Contacts;

/// <summary>A cell as Excel would store it.</summary>
internal abstract record XCell
{
    /// <summary>Text kept in the shared string table (what Excel does for typed text).</summary>
    public sealed record Shared(string Text) : XCell;

    /// <summary>A number; <paramref name="Raw"/> is the literal &lt;v&gt; text, e.g. "447700900123" or "4.47700900123E+11".</summary>
    public sealed record Number(string Raw) : XCell;

    public sealed record Inline(string Text) : XCell;

    public sealed record Bool(bool Value) : XCell;

    /// <summary>Shared rich text split into runs, with a phonetic guide that is not part of the value.</summary>
    public sealed record Rich(params string[] Runs) : XCell;

    public static implicit operator XCell(string text) => new Shared(text);
}

/// <summary>Writes .xlsx files for tests with the SAX <see cref="OpenXmlWriter"/>, as large exports are written.</summary>
internal static class Workbooks
{
    /// <summary>Rows keyed by their Excel row number; null cells are left out (sparse, as Excel does).</summary>
    public static byte[] Build(IEnumerable<(int Row, XCell?[] Cells)> rows, string sheetName = "Contacts")
    {
        var shared = new List<OpenXmlElement[]>();
        var sharedIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
            using (var writer = OpenXmlWriter.Create(worksheetPart))
            {
                writer.WriteStartElement(new Worksheet());
                writer.WriteStartElement(new SheetData());
                foreach (var (rowNumber, cells) in rows)
                {
                    writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", "", rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                    for (var column = 0; column < cells.Length; column++)
                    {
                        if (cells[column] is not { } cell)
                        {
                            continue;
                        }
                        var reference = Letters(column) + rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        WriteCell(writer, reference, cell, shared, sharedIndex);
                    }
                    writer.WriteEndElement();
                }
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            var table = workbookPart.AddNewPart<SharedStringTablePart>();
            table.SharedStringTable = new SharedStringTable(shared.Select(children => new SharedStringItem(children)));
            workbookPart.Workbook = new Workbook(new Sheets(new Sheet
            {
                Id = workbookPart.GetIdOfPart(worksheetPart),
                SheetId = 1,
                Name = sheetName,
            }));
        }
        return stream.ToArray();
    }

    public static byte[] Build(params XCell?[][] rows) => Build(rows.Select((cells, i) => (i + 1, cells)));

    private static void WriteCell(OpenXmlWriter writer, string reference, XCell cell, List<OpenXmlElement[]> shared, Dictionary<string, int> sharedIndex)
    {
        switch (cell)
        {
            case XCell.Shared s:
                if (!sharedIndex.TryGetValue(s.Text, out var index))
                {
                    index = shared.Count;
                    sharedIndex[s.Text] = index;
                    shared.Add([new Text(s.Text) { Space = SpaceProcessingModeValues.Preserve }]);
                }
                writer.WriteElement(new Cell(new CellValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    CellReference = reference,
                    DataType = CellValues.SharedString,
                });
                break;
            case XCell.Rich r:
                shared.Add([
                    .. r.Runs.Select(run => new Run(new Text(run) { Space = SpaceProcessingModeValues.Preserve })),
                    new PhoneticRun(new Text("ふりがな")) { BaseTextStartIndex = 0, EndingBaseIndex = 1 },
                ]);
                writer.WriteElement(new Cell(new CellValue((shared.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    CellReference = reference,
                    DataType = CellValues.SharedString,
                });
                break;
            case XCell.Number n:
                writer.WriteElement(new Cell(new CellValue(n.Raw)) { CellReference = reference });
                break;
            case XCell.Inline i:
                writer.WriteElement(new Cell(new InlineString(new Text(i.Text))) { CellReference = reference, DataType = CellValues.InlineString });
                break;
            case XCell.Bool b:
                writer.WriteElement(new Cell(new CellValue(b.Value ? "1" : "0")) { CellReference = reference, DataType = CellValues.Boolean });
                break;
        }
    }

    private static string Letters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters;
    }
}
