using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Dialing.Forecasting;

/// <summary>
/// The chance that an open case in a stage is won in the end, learned from the closed cases that reached that stage:
/// won / closed, pulled toward a default while history is thin. The pull is <see cref="PriorWeight"/> imaginary closed
/// cases at the default rate: with none closed the default is used as is, with 20 closed it is half the weight, with
/// 200 a tenth.
/// </summary>
public static class StageProbabilities
{
    /// <summary>How many closed cases the default counts as.</summary>
    public const double PriorWeight = 20;

    /// <summary>
    /// Defaults for a contact center with no history yet: common B2B funnel rates, the further the likelier.
    /// A lead not yet talked to 5 %, an interested client 25 %, a client with an offer 50 %.
    /// </summary>
    public static readonly IReadOnlyDictionary<CaseStatus, double> Defaults = new Dictionary<CaseStatus, double>
    {
        [CaseStatus.New] = 0.05,
        [CaseStatus.InAcquisition] = 0.25,
        [CaseStatus.Offered] = 0.50,
    };

    /// <summary>The open stages a forecast weighs, in funnel order.</summary>
    public static readonly IReadOnlyList<CaseStatus> OpenStages = [CaseStatus.New, CaseStatus.InAcquisition, CaseStatus.Offered];

    public static double Of(CaseStatus stage, StageHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (!Defaults.TryGetValue(stage, out var prior))
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only open stages (new, in acquisition, offered) have a win probability.");
        }

        var closed = Math.Max(0, history.Closed(stage));
        var won = Math.Clamp(history.Won(stage), 0, closed);
        return (won + (PriorWeight * prior)) / (closed + PriorWeight);
    }
}
