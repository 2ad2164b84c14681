namespace DialerCluster.Dialing.Contacts;

/// <summary>One reason a row of an import file was not imported.</summary>
/// <param name="Row">1-based row as the user sees it in the file (header = row 1).</param>
/// <param name="Field">Contact field: name, phone, email, company, address, timezone, country, or a custom column's header.</param>
/// <param name="Reason">What is wrong, with the offending value where it helps.</param>
public sealed record RowRejection(int Row, string Field, string Reason);
