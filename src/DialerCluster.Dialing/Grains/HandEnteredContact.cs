using DialerCluster.Dialing.Cases;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Dialing.Grains;

/// <summary>
/// A contact typed in by hand (a walk-in client, a web form): checked field by field with the same rules as
/// an import row, so both paths store the same kind of contact.
/// </summary>
public static class HandEnteredContact
{
    public const int TextMaxLength = 4_000;

    /// <returns>The draft, or every problem with its field (prefixed, e.g. "contact.phone").</returns>
    public static (ContactDraft? Contact, IReadOnlyList<FieldError> Errors) Build(
        string prefix,
        string? name,
        IReadOnlyList<string> phones,
        string? email,
        string? company,
        string? address,
        string? timeZone,
        string? country,
        string? defaultCountry,
        IReadOnlyDictionary<string, string>? attributes)
    {
        var errors = new List<FieldError>();
        string Field(string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";

        string? countryCode = null;
        if (!string.IsNullOrWhiteSpace(country))
        {
            countryCode = DialingPlans.FindByName(country)?.Country;
            if (countryCode is null)
            {
                errors.Add(new(Field("country"), $"unknown country '{country}' (use an ISO code such as GB, DE, US)"));
            }
        }

        if (!string.IsNullOrWhiteSpace(defaultCountry) && !PhoneNumber.IsSupportedCountry(defaultCountry))
        {
            errors.Add(new(Field("defaultCountry"), $"unknown country '{defaultCountry}' (use an ISO code such as GB, DE, US)"));
        }

        var normalized = new List<string>(phones.Count);
        if (phones.Count == 0)
        {
            errors.Add(new(Field("phone"), "is required"));
        }

        foreach (var raw in phones)
        {
            if (PhoneNumber.TryNormalize(raw, countryCode ?? defaultCountry, out var e164, out var reason))
            {
                if (!normalized.Contains(e164))
                {
                    normalized.Add(e164);
                }
            }
            else
            {
                errors.Add(new(Field("phone"), $"'{raw}' is not a phone number: {reason}"));
            }
        }

        if (!string.IsNullOrWhiteSpace(email) && EmailAddress.Problem(email.Trim()) is { } emailProblem)
        {
            errors.Add(new(Field("email"), $"invalid e-mail '{email}': {emailProblem}"));
        }

        string? zone = null;
        if (!string.IsNullOrWhiteSpace(timeZone))
        {
            zone = TimeZones.Resolve(timeZone);
            if (zone is null)
            {
                errors.Add(new(Field("timeZone"), $"unknown time zone '{timeZone}' (use an IANA id such as Europe/London)"));
            }
        }

        CheckLength(errors, Field("name"), name);
        CheckLength(errors, Field("company"), company);
        CheckLength(errors, Field("address"), address);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        countryCode ??= PhoneNumber.CountryOf(normalized[0], defaultCountry);
        zone ??= DialingPlans.Find(countryCode)?.TimeZone;
        var draft = new ContactDraft(
            Row: 0,
            Blank(name),
            normalized,
            Blank(email),
            Blank(company),
            Blank(address),
            countryCode,
            zone,
            attributes ?? new Dictionary<string, string>(StringComparer.Ordinal));
        return (draft, errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static void CheckLength(List<FieldError> errors, string field, string? value)
    {
        if (value is not null && value.Length > TextMaxLength)
        {
            errors.Add(new(field, $"must be at most {TextMaxLength} characters"));
        }
    }
}
