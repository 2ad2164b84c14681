using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Campaigns;

/// <summary>How a campaign turns ready agents into calls (PRODUCT.md, "Dialing and distribution").</summary>
[GenerateSerializer]
public enum DialMode
{
    /// <summary>The agent sees the case first, then dials.</summary>
    Preview = 0,

    /// <summary>One call per ready agent.</summary>
    Progressive = 1,

    /// <summary>A fixed number of lines per ready agent (<see cref="CampaignSettings.LinesPerAgent"/>).</summary>
    Power = 2,

    /// <summary>Lines per agent adapted to answer rate and handle time, under the abandon-rate cap.</summary>
    Predictive = 3,
}

public static class DialModeWire
{
    private static readonly WireNames<DialMode> Names = new(
        (DialMode.Preview, "preview"),
        (DialMode.Progressive, "progressive"),
        (DialMode.Power, "power"),
        (DialMode.Predictive, "predictive"));

    public static IReadOnlyList<string> All => Names.All;

    public static string ToWire(this DialMode mode) => Names.ToWire(mode);

    public static bool TryParse(string? wire, out DialMode mode) => Names.TryParse(wire, out mode);
}
