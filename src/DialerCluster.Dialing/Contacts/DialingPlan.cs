namespace DialerCluster.Dialing.Contacts;

/// <summary>How one country writes its numbers: enough to turn a national number into E.164.</summary>
/// <param name="Country">ISO 3166-1 alpha-2.</param>
/// <param name="CallingCode">ITU-T E.164 country calling code, digits only.</param>
/// <param name="TrunkPrefix">Dialled before a national number and dropped in E.164 ("0" in GB, "1" in NANP); null where there is none.</param>
/// <param name="MinNsn">Shortest national significant number (digits after the calling code).</param>
/// <param name="MaxNsn">Longest national significant number.</param>
/// <param name="LeadingDigits">Digits a national significant number may start with.</param>
/// <param name="ExitPrefix">International call prefix used from inside the country besides "00".</param>
/// <param name="TimeZone">IANA zone when the whole country keeps one clock; null when it spans several.</param>
/// <param name="Names">English names and common aliases accepted in a "country" column.</param>
internal sealed record DialingPlan(
    string Country,
    string CallingCode,
    string? TrunkPrefix,
    int MinNsn,
    int MaxNsn,
    string LeadingDigits,
    string? ExitPrefix,
    string? TimeZone,
    params string[] Names)
{
    public bool IsNanp => CallingCode == "1";
}
