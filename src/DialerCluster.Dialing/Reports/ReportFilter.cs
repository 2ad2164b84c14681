using DialerCluster.Dialing.Cases;

namespace DialerCluster.Dialing.Reports;

/// <summary>
/// What a manager asks a report for: a period [<see cref="From"/>, <see cref="To"/>) and optionally one campaign, one
/// agent and one lead source. How each report reads the agent and the period is written on the report's record.
/// </summary>
public sealed record ReportFilter(DateTimeOffset From, DateTimeOffset To, long? CampaignId = null, long? AgentId = null, string? LeadSource = null)
{
    /// <summary>A year: longer periods are refused rather than left to run for minutes.</summary>
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(366);

    public const int LeadSourceMaxLength = 500;

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (To <= From)
        {
            errors.Add(new("to", $"must be after from ({From:O})"));
        }
        else if (To - From > LongestPeriod)
        {
            errors.Add(new("to", $"the period may be at most {LongestPeriod.TotalDays:0} days"));
        }

        if (LeadSource is { Length: > LeadSourceMaxLength })
        {
            errors.Add(new("leadSource", $"must be at most {LeadSourceMaxLength} characters"));
        }

        return errors;
    }
}
