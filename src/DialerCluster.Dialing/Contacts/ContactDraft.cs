namespace DialerCluster.Dialing.Contacts;

/// <summary>A valid contact read from an import file, not yet stored.</summary>
/// <param name="Row">1-based row as the user sees it in the file (header = row 1).</param>
/// <param name="Phones">E.164 numbers, the primary first, no repeats.</param>
/// <param name="Country">ISO 3166-1 alpha-2 from the country column, else from the primary phone when its code names one country.</param>
/// <param name="TimeZone">IANA zone id from the timezone column, else from the country when it keeps one clock; null when unknown.</param>
/// <param name="Attributes">Every other non-empty column, keyed by its header as written in the file.</param>
public sealed record ContactDraft(
    int Row,
    string? Name,
    IReadOnlyList<string> Phones,
    string? Email,
    string? Company,
    string? Address,
    string? Country,
    string? TimeZone,
    IReadOnlyDictionary<string, string> Attributes)
{
    public string PrimaryPhone => Phones[0];
}
