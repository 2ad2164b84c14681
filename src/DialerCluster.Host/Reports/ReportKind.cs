namespace DialerCluster.Host.Reports;

/// <summary>The reports a manager can read, by their name in the API's path.</summary>
public static class ReportKind
{
    public const string Funnel = "funnel";
    public const string Agents = "agents";
    public const string Resignations = "resignations";
    public const string SalesCycle = "sales-cycle";
    public const string LeadSources = "lead-sources";
    public const string CallOutcomes = "call-outcomes";
    public const string Forecast = "forecast";
    public const string Costs = "costs";

    public static readonly IReadOnlyList<string> All = [Funnel, Agents, Resignations, SalesCycle, LeadSources, CallOutcomes, Forecast, Costs];

    public static readonly IReadOnlyList<string> Formats = ["csv", "xlsx"];
}
