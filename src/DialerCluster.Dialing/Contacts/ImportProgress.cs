namespace DialerCluster.Dialing.Contacts;

/// <summary>How far an import has read.</summary>
/// <param name="RowsRead">Data rows read so far (header and blank rows excluded).</param>
/// <param name="Accepted">Rows that became contact drafts.</param>
/// <param name="Rejected">Rows refused (a row with several problems counts once).</param>
/// <param name="Fraction">Share of the file read, 0..1, when it can be known.</param>
public sealed record ImportProgress(int RowsRead, int Accepted, int Rejected, double? Fraction);
