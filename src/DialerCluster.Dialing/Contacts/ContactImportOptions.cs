namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Limits of one import. A file past a size or row limit is refused whole (<see cref="ContactFileException.IsLimit"/>),
/// as soon as the reader gets there: a small upload must not cost gigabytes (issue 15: a 205 KB workbook inflated
/// one cell to 1.5 GB of memory, a 598 KB one held 5 million rows).
/// </summary>
public sealed record ContactImportOptions
{
    /// <summary>Where the host reads these limits from (<c>Import:MaxRows</c> …); refusals name the setting.</summary>
    public const string Section = "Import";

    public static ContactImportOptions Default { get; } = new();

    /// <summary>Longer cells reject their row; they are counted, never held in memory whole.</summary>
    public int MaxCellLength { get; init; } = 4_000;

    /// <summary>Columns beyond this make the file unreadable (a binary file read as text has thousands).</summary>
    public int MaxColumns { get; init; } = 1_000;

    /// <summary>Contact rows (header and blank rows not counted) one import may hold.</summary>
    public int MaxRows { get; init; } = 200_000;

    /// <summary>
    /// An .xlsx is a zip: the most its entries may inflate to, together (their declared sizes are checked before
    /// anything is read, and the bytes actually inflated while the sheet streams).
    /// </summary>
    public long MaxUncompressedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The most an .xlsx's shared-string table may inflate to: it is the one part held in memory while the sheet streams.</summary>
    public long MaxSharedStringsBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Progress is reported after every this many data rows, and once at the end.</summary>
    public int ProgressInterval { get; init; } = 1_000;

    /// <summary>Every limit that is out of range, by option name; empty when all are usable.</summary>
    public IReadOnlyList<(string Option, string Reason)> Validate()
    {
        var errors = new List<(string, string)>();
        if (MaxCellLength is < 1 or > 1_000_000)
        {
            errors.Add((nameof(MaxCellLength), "must be between 1 and 1,000,000 characters"));
        }

        if (MaxColumns is < 2 or > 16_384)
        {
            errors.Add((nameof(MaxColumns), "must be between 2 and 16,384 (Excel's last column)"));
        }

        if (MaxRows is < 1 or > 10_000_000)
        {
            errors.Add((nameof(MaxRows), "must be between 1 and 10,000,000"));
        }

        if (MaxUncompressedBytes is < 1024 * 1024 or > 16L * 1024 * 1024 * 1024)
        {
            errors.Add((nameof(MaxUncompressedBytes), "must be between 1 MiB and 16 GiB"));
        }

        if (MaxSharedStringsBytes < 1024 || MaxSharedStringsBytes > MaxUncompressedBytes)
        {
            errors.Add((nameof(MaxSharedStringsBytes), "must be at least 1 KiB and at most MaxUncompressedBytes"));
        }

        if (ProgressInterval < 1)
        {
            errors.Add((nameof(ProgressInterval), "must be at least 1"));
        }

        return errors;
    }
}
