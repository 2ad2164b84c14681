using System.Text.Json;
using DialerCluster.Dialing.Campaigns;
using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Funnel;

namespace DialerCluster.Storage;

/// <summary>The JSON columns: a contact's phones and attributes, an activity's details.</summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Phones(IReadOnlyList<string> phones) => JsonSerializer.Serialize(phones, Options);

    public static IReadOnlyList<string> ReadPhones(string json) => JsonSerializer.Deserialize<string[]>(json, Options) ?? [];

    public static string Attributes(IReadOnlyDictionary<string, string> attributes) =>
        attributes.Count == 0 ? "{}" : JsonSerializer.Serialize(attributes, Options);

    public static IReadOnlyDictionary<string, string> ReadAttributes(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options) ?? [];

    /// <summary>Kind, time, actor and outcome have columns; the rest of an activity is this object.</summary>
    public static string Details(CaseActivity activity) =>
        activity.Details is null && activity.FromStatus is null && activity.ToStatus is null
            ? "{}"
            : JsonSerializer.Serialize(
                new ActivityDetails(activity.Details, activity.FromStatus?.ToWire(), activity.ToStatus?.ToWire()),
                Options);

    public static CaseActivity ReadActivity(string kind, DateTimeOffset at, string? actor, string? outcome, string details)
    {
        if (!CaseActivityKindWire.TryParse(kind, out var parsedKind))
        {
            throw new InvalidDataException($"case_activities.kind '{kind}' is not a known activity kind.");
        }

        CallOutcome? parsedOutcome = null;
        if (outcome is not null)
        {
            parsedOutcome = CallOutcomeWire.TryParse(outcome, out var o)
                ? o
                : throw new InvalidDataException($"case_activities.outcome '{outcome}' is not a known call outcome.");
        }

        var stored = details == "{}" ? null : JsonSerializer.Deserialize<ActivityDetails>(details, Options);
        return new CaseActivity(
            parsedKind,
            at,
            actor ?? CaseActivity.System,
            stored?.Text,
            Status(stored?.From),
            Status(stored?.To),
            parsedOutcome);
    }

    public static CaseStatus ParseStatus(string wire) =>
        CaseStatusWire.TryParse(wire, out var status)
            ? status
            : throw new InvalidDataException($"cases.status '{wire}' is not a funnel status.");

    private static CaseStatus? Status(string? wire) => wire is null ? null : ParseStatus(wire);

    private sealed record ActivityDetails(string? Text, string? From, string? To);
}
