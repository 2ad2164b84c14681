using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Funnel;

/// <summary>The five stages of the sales funnel (PRODUCT.md). Won and Resigned are terminal.</summary>
[GenerateSerializer]
public enum CaseStatus
{
    New = 0,
    InAcquisition = 1,
    Offered = 2,
    Won = 3,
    Resigned = 4,
}

public static class CaseStatusWire
{
    private static readonly WireNames<CaseStatus> Names = new(
        (CaseStatus.New, "new"),
        (CaseStatus.InAcquisition, "in_acquisition"),
        (CaseStatus.Offered, "offered"),
        (CaseStatus.Won, "won"),
        (CaseStatus.Resigned, "resigned"));

    /// <summary>Wire names in funnel order: new, in_acquisition, offered, won, resigned.</summary>
    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this CaseStatus status) => Names.ToWire(status);

    public static bool TryParse(string? wire, out CaseStatus status) => Names.TryParse(wire, out status);

    /// <summary>Won and resigned: the case has left the funnel and is never dialed again.</summary>
    public static bool IsTerminal(this CaseStatus status) => status is CaseStatus.Won or CaseStatus.Resigned;
}
