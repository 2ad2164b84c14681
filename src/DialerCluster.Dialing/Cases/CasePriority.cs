namespace DialerCluster.Dialing.Cases;

/// <summary>Routing priority of a case; higher is served first. PRODUCT.md: the default is low.</summary>
[GenerateSerializer]
public enum CasePriority
{
    Low = 0,
    Normal = 1,
    High = 2,
}

public static class CasePriorityWire
{
    private static readonly WireNames<CasePriority> Names = new(
        (CasePriority.Low, "low"),
        (CasePriority.Normal, "normal"),
        (CasePriority.High, "high"));

    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this CasePriority priority) => Names.ToWire(priority);

    public static bool TryParse(string? wire, out CasePriority priority) => Names.TryParse(wire, out priority);
}
