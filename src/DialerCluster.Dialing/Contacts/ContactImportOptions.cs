namespace DialerCluster.Dialing.Contacts;

/// <summary>Limits of one import.</summary>
public sealed record ContactImportOptions
{
    public static ContactImportOptions Default { get; } = new();

    /// <summary>Longer cells reject their row; they are counted, never held in memory whole.</summary>
    public int MaxCellLength { get; init; } = 4_000;

    /// <summary>Columns beyond this make the file unreadable (a binary file read as text has thousands).</summary>
    public int MaxColumns { get; init; } = 1_000;

    /// <summary>Progress is reported after every this many data rows, and once at the end.</summary>
    public int ProgressInterval { get; init; } = 1_000;
}
