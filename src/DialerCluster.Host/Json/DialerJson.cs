using System.Text.Json;
using DialerCluster.Dialing.Agents;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Host.Json;

/// <summary>The API's JSON: camelCase properties (web defaults), enums by the domain's snake_case wire names.</summary>
internal static class DialerJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new WireEnumConverter<CaseStatus>(CaseStatusWire.ToWire, CaseStatusWire.TryParse, CaseStatusWire.All));
        options.Converters.Add(new WireEnumConverter<AgentState>(AgentStateWire.ToWire, AgentStateWire.TryParse, AgentStateWire.All));
        options.Converters.Add(new WireEnumConverter<CallOutcome>(CallOutcomeWire.ToWire, CallOutcomeWire.TryParse, CallOutcomeWire.All));
        options.Converters.Add(new WireEnumConverter<DialMode>(DialModeWire.ToWire, DialModeWire.TryParse, DialModeWire.All));
        options.Converters.Add(new WireEnumConverter<CasePriority>(CasePriorityWire.ToWire, CasePriorityWire.TryParse, CasePriorityWire.All));
        options.Converters.Add(new WireEnumConverter<CaseActivityKind>(
            CaseActivityKindWire.ToWire, CaseActivityKindWire.TryParse, Enum.GetValues<CaseActivityKind>().Select(k => k.ToWire()).ToArray()));
        options.Converters.Add(new WireEnumConverter<RetryDecisionKind>(
            RetryWire.ToWire, RetryWire.TryParse, Enum.GetValues<RetryDecisionKind>().Select(RetryWire.ToWire).ToArray()));
        options.Converters.Add(new WireEnumConverter<BudgetPeriod>(BudgetPeriodWire.ToWire, BudgetPeriodWire.TryParse, BudgetPeriodWire.All));
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter<Reports.ColumnKind>(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new DurationConverter());
    }

    /// <summary>The retry decision after a completed attempt, as the API reports it.</summary>
    private static class RetryWire
    {
        public static string ToWire(RetryDecisionKind kind) => kind switch
        {
            RetryDecisionKind.RetryAt => "retry_at",
            RetryDecisionKind.Exhausted => "exhausted",
            RetryDecisionKind.NoRetry => "no_retry",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        public static bool TryParse(string? wire, out RetryDecisionKind kind)
        {
            foreach (var candidate in Enum.GetValues<RetryDecisionKind>())
            {
                if (ToWire(candidate) == wire)
                {
                    kind = candidate;
                    return true;
                }
            }

            kind = default;
            return false;
        }
    }
}
