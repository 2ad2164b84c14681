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
}
