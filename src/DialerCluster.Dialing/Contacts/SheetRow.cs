namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// One row of a CSV or worksheet, reused from row to row so a 100,000-row import allocates only its cell strings.
/// </summary>
internal sealed class SheetRow
{
    public int Number { get; set; }

    /// <summary>Cells up to the reader's column limit; an over-long cell holds "" and is listed in <see cref="Oversized"/>.</summary>
    public List<string> Cells { get; } = [];

    /// <summary>(0-based column, full length) of cells longer than the limit.</summary>
    public List<(int Column, long Length)> Oversized { get; } = [];

    /// <summary>0-based column of the first cell whose quoting is malformed (text after a closing quote), or -1.</summary>
    public int MalformedColumn { get; set; } = -1;

    /// <summary>0-based column of the first non-empty cell beyond the column limit, or -1.</summary>
    public int ExtraColumn { get; set; } = -1;

    public bool IsBlank
    {
        get
        {
            if (Oversized.Count > 0 || ExtraColumn >= 0 || MalformedColumn >= 0)
            {
                return false;
            }
            foreach (var cell in Cells)
            {
                if (!string.IsNullOrWhiteSpace(cell))
                {
                    return false;
                }
            }
            return true;
        }
    }

    public void Reset(int number)
    {
        Number = number;
        Cells.Clear();
        Oversized.Clear();
        MalformedColumn = -1;
        ExtraColumn = -1;
    }

    public string Cell(int column) => column < Cells.Count ? Cells[column] : "";
}

/// <summary>A source of rows: CSV text or an .xlsx worksheet.</summary>
internal interface ISheetReader : IDisposable
{
    /// <summary>Share of the input consumed, 0..1, when known.</summary>
    double? Fraction { get; }

    /// <summary>Cells past this many are not kept (only whether one is non-empty).</summary>
    int ColumnLimit { get; set; }

    ValueTask<bool> ReadAsync(SheetRow row, CancellationToken ct);
}
