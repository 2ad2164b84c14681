using System.Globalization;
using System.Text.Json;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Grains;
using DialerCluster.Dialing.Routing;
using DialerCluster.Dialing.Stores;

namespace DialerCluster.Host.Api;

/// <summary>A calling window in the contact's local time, "HH:mm" or "HH:mm:ss".</summary>
public sealed record CallingWindowBody(string? Start, string? End);

public sealed record RetryDelaysBody(TimeSpan? NoAnswer, TimeSpan? Busy, TimeSpan? Voicemail, TimeSpan? Failed);

/// <summary>Money settings; absent fields stay as they are. <see cref="Budget"/>: absent keeps it, null removes it, a number sets it.</summary>
public sealed record CostsBody
{
    public decimal? AgentHourCost { get; init; }

    public decimal? CallMinuteCost { get; init; }

    public JsonElement Budget { get; init; }

    public BudgetPeriod? BudgetPeriod { get; init; }
}

public sealed record CostsResponse(decimal AgentHourCost, decimal CallMinuteCost, decimal? Budget, BudgetPeriod BudgetPeriod);

/// <summary>
/// A campaign's settings as sent by a client. Every field is optional: POST starts from the defaults,
/// PATCH from the campaign's current settings. <see cref="Version"/> (PATCH only) makes the change
/// conditional on the campaign not having changed since.
/// </summary>
public sealed record CampaignBody(
    string? Name = null,
    DialMode? DialMode = null,
    CallingWindowBody? CallingWindow = null,
    int? MaxAttempts = null,
    RetryDelaysBody? RetryDelays = null,
    TimeSpan? HoldTimeout = null,
    TimeSpan? OwnerFallback = null,
    int? LinesPerAgent = null,
    double? TargetAbandonRate = null,
    long? Version = null)
{
    /// <summary>Absent keeps it, null or "" goes back to the node's caller id, an E.164 number sets it.</summary>
    public JsonElement CallerId { get; init; }

    public CasePriority? DefaultPriority { get; init; }

    public CostsBody? Costs { get; init; }

    public decimal? DealValue { get; init; }

    /// <summary>Applies the body to <paramref name="current"/>; 400 naming each unreadable field.</summary>
    public CampaignSettings ApplyTo(CampaignSettings current)
    {
        var errors = new List<FieldError>();
        var window = current.CallingWindow;
        if (CallingWindow is not null)
        {
            var start = ParseTime(CallingWindow.Start, "callingWindow.start", window.Start, errors);
            var end = ParseTime(CallingWindow.End, "callingWindow.end", window.End, errors);
            window = new CallingWindow(start, end);
        }

        if (errors.Count > 0)
        {
            throw new RequestRefusedException(Refusal.Invalid, errors);
        }

        var callerId = CallerId.ValueKind switch
        {
            JsonValueKind.Undefined => current.CallerId,
            JsonValueKind.Null => null,
            JsonValueKind.String => CallerId.GetString()!.Trim() is { Length: > 0 } number ? number : null,
            _ => throw ApiProblems.Invalid("callerId", "must be an E.164 number as a string, or null for the node's caller id"),
        };
        var costs = current.Costs ?? CampaignCosts.None;
        if (Costs is not null)
        {
            var budget = Costs.Budget.ValueKind switch
            {
                JsonValueKind.Undefined => costs.Budget,
                JsonValueKind.Null => null,
                JsonValueKind.Number when Costs.Budget.TryGetDecimal(out var amount) => amount,
                _ => throw ApiProblems.Invalid("costs.budget", "must be an amount, or null for no budget"),
            };
            costs = new CampaignCosts(
                Costs.AgentHourCost ?? costs.AgentHourCost,
                Costs.CallMinuteCost ?? costs.CallMinuteCost,
                budget,
                Costs.BudgetPeriod ?? costs.BudgetPeriod);
        }

        var delays = current.RetryDelays ?? Dialing.Campaigns.RetryDelays.Default;
        if (RetryDelays is not null)
        {
            delays = new RetryDelays(
                RetryDelays.NoAnswer ?? delays.NoAnswer,
                RetryDelays.Busy ?? delays.Busy,
                RetryDelays.Voicemail ?? delays.Voicemail,
                RetryDelays.Failed ?? delays.Failed);
        }

        return current with
        {
            Name = Name?.Trim() ?? current.Name,
            DialMode = DialMode ?? current.DialMode,
            CallingWindow = window,
            MaxAttempts = MaxAttempts ?? current.MaxAttempts,
            RetryDelays = delays,
            HoldTimeout = HoldTimeout ?? current.HoldTimeout,
            OwnerFallback = OwnerFallback ?? current.OwnerFallback,
            LinesPerAgent = LinesPerAgent ?? current.LinesPerAgent,
            TargetAbandonRate = TargetAbandonRate ?? current.TargetAbandonRate,
            CallerId = callerId,
            DefaultPriority = DefaultPriority ?? current.DefaultPriority,
            Costs = costs,
            DealValue = DealValue ?? current.DealValue,
        };
    }

    private static TimeOnly ParseTime(string? text, string field, TimeOnly current, List<FieldError> errors)
    {
        if (text is null)
        {
            return current;
        }

        if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(new FieldError(field, $"'{text}' is not a time of day (HH:mm)"));
        return current;
    }
}

public sealed record CallingWindowResponse(string Start, string End);

public sealed record RetryDelaysResponse(TimeSpan NoAnswer, TimeSpan Busy, TimeSpan Voicemail, TimeSpan Failed);

public sealed record QueueResponse(
    int Total,
    int Ready,
    int Held,
    int Pending,
    int Parked,
    int Closed,
    IReadOnlyDictionary<string, int> CasesByStatus)
{
    public static QueueResponse From(CampaignQueueCounts counts) => new(
        counts.Total,
        counts.Ready,
        counts.Held,
        counts.Pending,
        counts.Parked,
        counts.Closed,
        new Dictionary<string, int>
        {
            ["new"] = counts.New,
            ["in_acquisition"] = counts.InAcquisition,
            ["offered"] = counts.Offered,
            ["won"] = counts.Won,
            ["resigned"] = counts.Resigned,
        });
}

public sealed record CampaignResponse(
    long Id,
    string Name,
    DialMode DialMode,
    CallingWindowResponse CallingWindow,
    int MaxAttempts,
    RetryDelaysResponse RetryDelays,
    TimeSpan HoldTimeout,
    TimeSpan OwnerFallback,
    int LinesPerAgent,
    double TargetAbandonRate,
    string? CallerId,
    CasePriority DefaultPriority,
    CostsResponse Costs,
    decimal DealValue,
    long Version,
    DateTimeOffset CreatedAt,
    QueueResponse? Queue,
    IReadOnlyList<long>? Agents)
{
    public static CampaignResponse From(CampaignRecord record, CampaignQueueCounts? counts = null, IReadOnlyList<long>? agents = null)
    {
        var s = record.Settings;
        var delays = s.RetryDelays ?? Dialing.Campaigns.RetryDelays.Default;
        return new CampaignResponse(
            record.Id,
            s.Name,
            s.DialMode,
            new CallingWindowResponse(s.CallingWindow.Start.ToString("HH:mm", CultureInfo.InvariantCulture), s.CallingWindow.End.ToString("HH:mm", CultureInfo.InvariantCulture)),
            s.MaxAttempts,
            new RetryDelaysResponse(delays.NoAnswer, delays.Busy, delays.Voicemail, delays.Failed),
            s.HoldTimeout,
            s.OwnerFallback,
            s.LinesPerAgent,
            s.TargetAbandonRate,
            s.CallerId,
            s.DefaultPriority,
            new CostsResponse(s.Costs.AgentHourCost, s.Costs.CallMinuteCost, s.Costs.Budget, s.Costs.BudgetPeriod),
            s.DealValue,
            record.Version,
            record.CreatedAt,
            counts is { } c ? QueueResponse.From(c) : null,
            agents);
    }

    public static CampaignResponse From(CampaignView view) => From(view.Record, view.Counts, view.Agents);
}
