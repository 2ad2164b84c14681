using System.Globalization;
using CsvHelper;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Host.Imports;

/// <summary>
/// The full list of an import's rejected rows as a CSV file (row, field, reason). Reasons quote the file's own cells,
/// so a cell starting with =, +, - or @ is escaped: opened in a spreadsheet it must read as text, not run as a formula.
/// </summary>
internal static class RejectedRowsCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };

    public static string Render(IEnumerable<RowRejection> rejected)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, Options, true))
        {
            csv.WriteRecord(["row", "field", "reason"]);
            foreach (var rejection in rejected)
            {
                csv.WriteField(rejection.Row.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(rejection.Field);
                csv.WriteField(rejection.Reason);
                csv.EndRecord();
            }
        }

        return text.ToString();
    }
}
