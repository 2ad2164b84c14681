using System.Globalization;
using DialerCluster.Dialing.Reports;

namespace DialerCluster.Host.Api;

/// <summary>Query-string values of the managers' endpoints, read by hand so a bad one is a 400 naming it.</summary>
internal static class QueryValues
{
    public const int DefaultDays = 30;

    public static long? Id(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw ApiProblems.Invalid(field, $"'{text}' is not an id");

    public static int? Int(string? text, string field, int min, int max) =>
        string.IsNullOrEmpty(text) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : throw ApiProblems.Invalid(field, $"'{text}' must be a whole number from {min} to {max}");

    /// <summary>
    /// A moment: an ISO 8601 date and time, or a date alone (UTC midnight starting it; for a period's end,
    /// <paramref name="endOfDay"/>, the midnight after it, so "to=2025-03-31" includes the 31st).
    /// </summary>
    public static DateTimeOffset? Moment(string? text, string field, bool endOfDay = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? midnight.AddDays(1) : midnight;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? moment
            : throw ApiProblems.Invalid(field, $"'{text}' is not a date (YYYY-MM-DD) or a date and time (ISO 8601)");
    }

    /// <summary>A report's filter; without dates, the last <see cref="DefaultDays"/> days up to the end of today (UTC).</summary>
    public static ReportFilter Filter(string? from, string? to, string? campaignId, string? agentId, string? leadSource, DateTimeOffset now)
    {
        var end = Moment(to, "to", endOfDay: true) ?? new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        var start = Moment(from, "from") ?? end.AddDays(-DefaultDays);
        var filter = new ReportFilter(start, end, Id(campaignId, "campaignId"), Id(agentId, "agentId"), string.IsNullOrWhiteSpace(leadSource) ? null : leadSource.Trim());
        var errors = filter.Validate();
        return errors.Count > 0 ? throw new Dialing.Grains.RequestRefusedException(Dialing.Grains.Refusal.Invalid, errors) : filter;
    }
}
