using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DialerCluster.Host.Reports;

/// <summary>
/// A report's table to a file, row by row as the page shows it: .csv (CsvHelper; UTF-8 with a BOM so spreadsheet programs
/// read the accents right) with the same text per cell, or .xlsx (OpenXml's streaming writer) with numbers as numbers in
/// the column's format.
/// </summary>
internal static class ReportExport
{
    // Built-in spreadsheet number formats: 0 General, 1 "0", 2 "0.00"; one custom for one decimal.
    private const uint PercentFormat = 164;

    public static string ContentType(string format) => format == "xlsx"
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    public static string FileName(ReportTable table, string format) => string.Create(
        CultureInfo.InvariantCulture, $"{table.Report}-{table.From:yyyy-MM-dd}-{table.To.AddTicks(-1):yyyy-MM-dd}.{format}");

    /// <summary>Text cells that a spreadsheet would run as a formula (= + - @ first) get a leading ' (CSV injection).</summary>
    public static async Task WriteCsvAsync(ReportTable table, Stream output, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordAsync(table.Columns.Select(c => c.Label).ToArray(), cancellationToken);
        foreach (var row in table.Rows)
        {
            await csv.WriteRecordAsync(table.Columns.Select((c, i) => ReportTable.Text(c.Kind, row[i])).ToArray(), cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The workbook is built in a temporary file (a zip needs to seek back to write its directory) and copied out as it
    /// is read: the rows never sit in memory together.
    /// </summary>
    public static async Task WriteXlsxAsync(ReportTable table, Stream output, CancellationToken cancellationToken)
    {
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024))
            {
                WriteWorkbook(table, file);
            }

            await using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await read.CopyToAsync(output, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteWorkbook(ReportTable table, Stream file)
    {
        using var document = SpreadsheetDocument.Create(file, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        var sheet = workbook.AddNewPart<WorksheetPart>();
        using (var writer = OpenXmlWriter.Create(sheet))
        {
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            WriteRow(writer, table.Columns.Select(c => (ColumnKind.Text, (object?)c.Label)).ToArray());
            foreach (var row in table.Rows)
            {
                WriteRow(writer, table.Columns.Select((c, i) => (c.Kind, row[i])).ToArray());
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        workbook.Workbook = new Workbook(new Sheets(new Sheet { Name = SheetName(table.Title), SheetId = 1, Id = workbook.GetIdOfPart(sheet) }));
        workbook.Workbook.Save();
    }

    private static void WriteRow(OpenXmlWriter writer, IReadOnlyList<(ColumnKind Kind, object? Value)> cells)
    {
        writer.WriteStartElement(new Row());
        foreach (var (kind, value) in cells)
        {
            if (value is null)
            {
                writer.WriteElement(new Cell());
            }
            else if (value is string text)
            {
                writer.WriteElement(new Cell(new InlineString(new Text(text))) { DataType = CellValues.InlineString });
            }
            else
            {
                writer.WriteElement(new Cell(new CellValue(ReportTable.Text(kind, value))) { DataType = CellValues.Number, StyleIndex = StyleOf(kind) });
            }
        }

        writer.WriteEndElement();
    }

    /// <summary>Cell formats, by index: 0 general, 1 whole number, 2 one decimal (percent), 3 two decimals (money).</summary>
    private static uint StyleOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Count => 1,
        ColumnKind.Percent => 2,
        ColumnKind.Money => 3,
        _ => 0,
    };

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = PercentFormat, FormatCode = "0.0" }) { Count = 1 },
        new Fonts(new Font()) { Count = 1 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { NumberFormatId = 1, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = PercentFormat, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 2, ApplyNumberFormat = true }) { Count = 4 });

    /// <summary>Sheet names are at most 31 characters, without : \ / ? * [ ].</summary>
    private static string SheetName(string title)
    {
        var name = new string(title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray());
        return name.Length > 31 ? name[..31] : name;
    }
}
