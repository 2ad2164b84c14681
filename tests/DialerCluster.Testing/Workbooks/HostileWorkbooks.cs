using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace DialerCluster.Testing.Workbooks;

/// <summary>
/// Small .xlsx uploads that inflate to a lot (issue 15: a 205 KB workbook holding one huge cell, a 598 KB one holding
/// about 5 million rows), written straight into a zip so that building them costs little memory. Deterministic.
/// </summary>
public static class HostileWorkbooks
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>A header (name, phone, Notes) and one contact whose Notes cell holds <paramref name="characters"/> 'x's.</summary>
    /// <param name="shared">In the shared-string table (what Excel writes for typed text), else as an inline string.</param>
    public static byte[] OneHugeCell(long characters, bool shared) => Build(
        sheet =>
        {
            Write(sheet, $"<worksheet xmlns=\"{Main}\"><sheetData>");
            Write(sheet, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>name</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>phone</t></is></c><c r=\"C1\" t=\"inlineStr\"><is><t>Notes</t></is></c></row>");
            Write(sheet, "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Ann Huge</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t>+442079460001</t></is></c>");
            if (shared)
            {
                Write(sheet, "<c r=\"C2\" t=\"s\"><v>0</v></c>");
            }
            else
            {
                Write(sheet, "<c r=\"C2\" t=\"inlineStr\"><is><t>");
                Repeat(sheet, 'x', characters);
                Write(sheet, "</t></is></c>");
            }

            Write(sheet, "</row></sheetData></worksheet>");
        },
        shared
            ? strings =>
            {
                Write(strings, $"<sst xmlns=\"{Main}\" count=\"1\" uniqueCount=\"1\"><si><t>");
                Repeat(strings, 'x', characters);
                Write(strings, "</t></si></sst>");
            }
            : null);

    /// <summary>A header and <paramref name="rows"/> rows that all repeat one contact (name and phone from the shared strings).</summary>
    public static byte[] ManyRows(int rows) => Build(
        sheet =>
        {
            Write(sheet, $"<worksheet xmlns=\"{Main}\"><sheetData><row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c></row>");
            var row = Encoding.UTF8.GetBytes("<row><c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c></row>");
            for (var i = 0; i < rows; i++)
            {
                sheet.Write(row);
            }

            Write(sheet, "</sheetData></worksheet>");
        },
        strings => Write(strings, $"<sst xmlns=\"{Main}\"><si><t>name</t></si><si><t>phone</t></si><si><t>Same Lead</t></si><si><t>+442079460002</t></si></sst>"));

    /// <summary>A minimal workbook: the worksheet and (optionally) the shared strings written by the callers.</summary>
    public static byte[] Build(Action<Stream> writeSheet, Action<Stream>? writeSharedStrings)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(archive, "[Content_Types].xml", s => Write(s,
                "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
                + "</Types>"));
            Entry(archive, "_rels/.rels", s => Write(s,
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
                + "</Relationships>"));
            Entry(archive, "xl/workbook.xml", s => Write(s,
                $"<workbook xmlns=\"{Main}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<sheets><sheet name=\"Contacts\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
            Entry(archive, "xl/_rels/workbook.xml.rels", s => Write(s,
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + (writeSharedStrings is null ? "" : "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>")
                + "</Relationships>"));
            Entry(archive, "xl/worksheets/sheet1.xml", writeSheet);
            if (writeSharedStrings is not null)
            {
                Entry(archive, "xl/sharedStrings.xml", writeSharedStrings);
            }
        }

        return zip.ToArray();
    }

    /// <summary>
    /// The same zip with every size its directory and local headers declare for <paramref name="entryName"/> set to
    /// <paramref name="declared"/>: a bomb that understates what it inflates to.
    /// </summary>
    public static byte[] Understating(byte[] zip, string entryName, uint declared)
    {
        var copy = (byte[])zip.Clone();
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 < copy.Length; i++)
        {
            if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 3 && copy[i + 3] == 4 && NameAt(copy, i + 30, BitConverter.ToUInt16(copy, i + 26), name))
            {
                BitConverter.GetBytes(declared).CopyTo(copy, i + 22);
            }
            else if (copy[i] == 'P' && copy[i + 1] == 'K' && copy[i + 2] == 1 && copy[i + 3] == 2 && NameAt(copy, i + 46, BitConverter.ToUInt16(copy, i + 28), name))
            {
                BitConverter.GetBytes(declared).CopyTo(copy, i + 24);
            }
        }

        return copy;
    }

    private static bool NameAt(byte[] zip, int offset, int length, byte[] name) =>
        length == name.Length && offset + length <= zip.Length && zip.AsSpan(offset, length).SequenceEqual(name);

    private static void Entry(ZipArchive archive, string name, Action<Stream> write)
    {
        using var stream = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var buffered = new BufferedStream(stream, 64 * 1024);
        write(buffered);
    }

    private static void Write(Stream stream, string text) => stream.Write(Encoding.UTF8.GetBytes(text));

    private static void Repeat(Stream stream, char c, long count)
    {
        var block = Encoding.UTF8.GetBytes(new string(c, 64 * 1024));
        for (var left = count; left > 0; left -= block.Length)
        {
            stream.Write(block, 0, (int)Math.Min(block.Length, left));
        }
    }

    /// <summary>For messages: "205 KB".</summary>
    public static string Kilobytes(byte[] file) => string.Create(CultureInfo.InvariantCulture, $"{file.Length / 1024.0:N0} KB");
}
