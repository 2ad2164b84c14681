using System.Collections.Frozen;
using System.Globalization;

namespace DialerCluster.Dialing.Contacts;

/// <summary>A contact field an import column can feed.</summary>
internal enum ContactField
{
    Attribute,
    Name,
    FirstName,
    LastName,
    Phone,
    Email,
    Company,
    Address,
    TimeZone,
    Country,
}

/// <summary>One column of the file: where it sits, what the user called it, which field it feeds.</summary>
internal sealed record ContactColumn(int Index, string Header, ContactField Field, string FieldName);

/// <summary>
/// Maps a header row to contact fields. Headers match case-insensitively, ignoring spaces, '_', '-', '.'
/// and '#', so "E-mail", "e_mail" and "EMAIL" all mean email. Several phone columns are allowed
/// ("Phone", "Mobile", "Phone 2"); the first one is the primary.
/// </summary>
internal sealed class ContactColumns
{
    private static readonly FrozenDictionary<string, ContactField> Aliases = new Dictionary<string, ContactField>
    {
        ["name"] = ContactField.Name,
        ["fullname"] = ContactField.Name,
        ["contact"] = ContactField.Name,
        ["contactname"] = ContactField.Name,
        ["customer"] = ContactField.Name,
        ["customername"] = ContactField.Name,
        ["client"] = ContactField.Name,
        ["clientname"] = ContactField.Name,
        ["person"] = ContactField.Name,
        ["firstname"] = ContactField.FirstName,
        ["givenname"] = ContactField.FirstName,
        ["forename"] = ContactField.FirstName,
        ["lastname"] = ContactField.LastName,
        ["surname"] = ContactField.LastName,
        ["familyname"] = ContactField.LastName,
        ["phone"] = ContactField.Phone,
        ["phones"] = ContactField.Phone,
        ["phonenumber"] = ContactField.Phone,
        ["phonenumbers"] = ContactField.Phone,
        ["phoneno"] = ContactField.Phone,
        ["telephone"] = ContactField.Phone,
        ["telephonenumber"] = ContactField.Phone,
        ["tel"] = ContactField.Phone,
        ["telno"] = ContactField.Phone,
        ["mobile"] = ContactField.Phone,
        ["mobilephone"] = ContactField.Phone,
        ["mobilenumber"] = ContactField.Phone,
        ["mobileno"] = ContactField.Phone,
        ["cell"] = ContactField.Phone,
        ["cellphone"] = ContactField.Phone,
        ["cellular"] = ContactField.Phone,
        ["msisdn"] = ContactField.Phone,
        ["number"] = ContactField.Phone,
        ["primaryphone"] = ContactField.Phone,
        ["secondaryphone"] = ContactField.Phone,
        ["otherphone"] = ContactField.Phone,
        ["altphone"] = ContactField.Phone,
        ["alternativephone"] = ContactField.Phone,
        ["alternatephone"] = ContactField.Phone,
        ["homephone"] = ContactField.Phone,
        ["workphone"] = ContactField.Phone,
        ["businessphone"] = ContactField.Phone,
        ["officephone"] = ContactField.Phone,
        ["landline"] = ContactField.Phone,
        ["email"] = ContactField.Email,
        ["emailaddress"] = ContactField.Email,
        ["mail"] = ContactField.Email,
        ["company"] = ContactField.Company,
        ["companyname"] = ContactField.Company,
        ["organisation"] = ContactField.Company,
        ["organization"] = ContactField.Company,
        ["org"] = ContactField.Company,
        ["business"] = ContactField.Company,
        ["businessname"] = ContactField.Company,
        ["employer"] = ContactField.Company,
        ["firm"] = ContactField.Company,
        ["address"] = ContactField.Address,
        ["streetaddress"] = ContactField.Address,
        ["postaladdress"] = ContactField.Address,
        ["mailingaddress"] = ContactField.Address,
        ["addr"] = ContactField.Address,
        ["timezone"] = ContactField.TimeZone,
        ["tz"] = ContactField.TimeZone,
        ["zone"] = ContactField.TimeZone,
        ["ianatimezone"] = ContactField.TimeZone,
        ["country"] = ContactField.Country,
        ["countrycode"] = ContactField.Country,
        ["countryname"] = ContactField.Country,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private ContactColumns(IReadOnlyList<ContactColumn> columns) => Columns = columns;

    public IReadOnlyList<ContactColumn> Columns { get; }

    public int Count => Columns.Count;

    /// <summary>Maps the header cells; throws <see cref="ContactFileException"/> when no column holds phones.</summary>
    public static ContactColumns FromHeader(IReadOnlyList<string> headerCells, int headerRow)
    {
        var columns = new List<ContactColumn>(headerCells.Count);
        var seen = new HashSet<ContactField>();
        var attributeNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headerCells.Count; i++)
        {
            var header = headerCells[i].Trim().TrimStart('\uFEFF');
            var field = Classify(header);

            // A second "email" or "company" column is kept whole as an attribute rather than overwriting the first.
            if (field is not (ContactField.Attribute or ContactField.Phone) && !seen.Add(field))
            {
                field = ContactField.Attribute;
            }

            if (field == ContactField.Attribute)
            {
                header = UniqueAttributeName(header, i, attributeNames);
            }

            columns.Add(new ContactColumn(i, header, field, FieldName(field, header)));
        }

        // Trailing header cells with no title are padding from a spreadsheet, not data columns.
        while (columns.Count > 0 && columns[^1].Field == ContactField.Attribute && string.IsNullOrWhiteSpace(headerCells[columns.Count - 1]))
        {
            columns.RemoveAt(columns.Count - 1);
        }

        if (!columns.Any(c => c.Field == ContactField.Phone))
        {
            var found = string.Join(", ", headerCells.Where(h => !string.IsNullOrWhiteSpace(h)).Take(12).Select(h => $"'{h.Trim()}'"));
            throw new ContactFileException(
                "file",
                $"No phone column in the header (row {headerRow}, found: {(found.Length == 0 ? "nothing" : found)}). " +
                "Name one column phone, mobile or telephone.");
        }

        return new ContactColumns(columns);
    }

    internal static ContactField Classify(string header)
    {
        Span<char> key = stackalloc char[Math.Min(header.Length, 64)];
        var length = 0;
        foreach (var c in header)
        {
            if (c is ' ' or '_' or '-' or '.' or '#' or '\t' or '\u00A0')
            {
                continue;
            }
            if (length == key.Length)
            {
                return ContactField.Attribute;
            }
            key[length++] = char.ToLowerInvariant(c);
        }

        // "Phone 2", "phone3", "Mobile1": numbered phone columns.
        var trimmed = key[..length].TrimEnd("0123456789");
        if (trimmed.Length < length && Aliases.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(trimmed, out var numbered))
        {
            return numbered == ContactField.Phone ? ContactField.Phone : ContactField.Attribute;
        }

        return Aliases.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key[..length], out var field)
            ? field
            : ContactField.Attribute;
    }

    private static string FieldName(ContactField field, string header) => field switch
    {
        ContactField.Name or ContactField.FirstName or ContactField.LastName => "name",
        ContactField.Phone => "phone",
        ContactField.Email => "email",
        ContactField.Company => "company",
        ContactField.Address => "address",
        ContactField.TimeZone => "timezone",
        ContactField.Country => "country",
        _ => header,
    };

    private static string UniqueAttributeName(string header, int index, HashSet<string> taken)
    {
        var name = header.Length == 0 ? $"Column {ColumnLetters(index)}" : header;
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{name} ({n})");
        }
        return candidate;
    }

    /// <summary>Spreadsheet column letters for a 0-based index (0 → A, 27 → AB).</summary>
    internal static string ColumnLetters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters;
    }
}
