using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Forecasting;

namespace DialerCluster.Dialing.Reports;

/// <summary>
/// The managers' reports, computed in SQL from the dialer's own tables (cases, case history, calls, agent state log)
/// on either engine. Read-only; every method answers for one <see cref="ReportFilter"/>.
/// </summary>
public interface IReportStore
{
    Task<FunnelCounts> FunnelAsync(ReportFilter filter, CancellationToken cancellationToken);

    /// <param name="now">Where a state still going ends (an agent ready right now is ready until now, not until the period's end).</param>
    Task<IReadOnlyList<AgentCounts>> AgentsAsync(ReportFilter filter, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ResignationCounts>> ResignationsAsync(ReportFilter filter, CancellationToken cancellationToken);

    Task<SalesCycleCounts> SalesCycleAsync(ReportFilter filter, CancellationToken cancellationToken);

    Task<IReadOnlyList<LeadSourceCounts>> LeadSourcesAsync(ReportFilter filter, CancellationToken cancellationToken);

    Task<IReadOnlyList<CallOutcomeCounts>> CallOutcomesAsync(ReportFilter filter, CancellationToken cancellationToken);

    /// <summary>What the three forecasts learn from (see <see cref="SalesForecast"/>).</summary>
    Task<ForecastInputs> ForecastInputsAsync(ForecastQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// What the campaigns spent in the period (see <see cref="CostOfAcquisition"/>): by campaign when one is asked for,
    /// every campaign otherwise; the agent and lead-source filters do not apply to money.
    /// </summary>
    Task<SpendInputs> SpendAsync(ReportFilter filter, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>An agent's state log in [from, to), newest first, at most <paramref name="limit"/> rows.</summary>
    Task<IReadOnlyList<AgentPresence>> AgentStatesAsync(long agentId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
