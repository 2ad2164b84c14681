using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Pacing;

/// <summary>A campaign's pacing settings: constant between pacing decisions.</summary>
public readonly record struct PacingPolicy
{
    /// <summary>Default outstanding dials per logged-in agent: enough for predictive at a 10% answer rate, low enough to protect the trunk at start of day.</summary>
    public const double DefaultMaxLinesPerAgent = 5;

    public PacingPolicy()
    {
    }

    public DialMode Mode { get; init; } = DialMode.Predictive;

    /// <summary>Share of person-answered calls that may be abandoned: 3% by default, the cap of FCC 47 CFR 64.1200(a)(7) (and Ofcom's).</summary>
    public double TargetAbandonRate { get; init; } = CampaignSettings.LegalAbandonRateCap;

    /// <summary>Outstanding dials (ringing, or answered and waiting for an agent) allowed per logged-in agent.</summary>
    public double MaxLinesPerAgent { get; init; } = DefaultMaxLinesPerAgent;

    /// <summary>Outstanding dials allowed for the whole campaign (trunk capacity).</summary>
    public int MaxCampaignLines { get; init; } = int.MaxValue;

    /// <summary>Lines per ready agent in power mode.</summary>
    public int PowerLinesPerAgent { get; init; } = 2;

    public static PacingPolicy From(CampaignSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PacingPolicy
        {
            Mode = settings.DialMode,
            TargetAbandonRate = settings.TargetAbandonRate,
            PowerLinesPerAgent = settings.LinesPerAgent,
        };
    }
}
