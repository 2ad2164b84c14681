using System.Collections.ObjectModel;
using System.Globalization;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// Turns data rows into contact drafts or row rejections. Every problem of a row is reported (one entry per
/// field), so a user fixes the file in one pass; a row with any problem is not imported.
/// </summary>
internal sealed class ContactDraftBuilder
{
    private static readonly char[] PhoneSeparators = [';', ',', '|', '\n', '\r'];

    private readonly ContactColumns _columns;
    private readonly string? _defaultCountry;
    private readonly int _maxCell;
    private readonly List<ContactDraft> _contacts = [];
    private readonly List<RowRejection> _rejected = [];
    private readonly Dictionary<string, int> _rowByPhone = new(StringComparer.Ordinal);
    private readonly List<RowRejection> _rowProblems = [];
    private readonly List<string> _phones = [];

    public ContactDraftBuilder(ContactColumns columns, string? defaultCountry, int maxCellLength)
    {
        _columns = columns;
        _defaultCountry = defaultCountry;
        _maxCell = maxCellLength;
    }

    public int RowsRead { get; private set; }

    public int Accepted => _contacts.Count;

    public int RejectedRows { get; private set; }

    public ContactImportResult ToResult() => new(_contacts.ToArray(), _rejected.ToArray());

    public void Add(SheetRow row)
    {
        RowsRead++;
        _rowProblems.Clear();
        _phones.Clear();
        var number = row.Number;

        foreach (var (column, length) in row.Oversized)
        {
            var col = _columns.Columns[column];
            Reject(number, col.FieldName, string.Create(CultureInfo.InvariantCulture,
                $"cell in column '{Title(col)}' is {length:N0} characters long; the limit is {_maxCell:N0}"));
        }
        if (row.MalformedColumn >= 0)
        {
            var col = _columns.Columns[row.MalformedColumn];
            Reject(number, col.FieldName, $"malformed quotes in column '{Title(col)}': text follows the closing quote");
        }
        if (row.ExtraColumn >= 0)
        {
            var letters = ContactColumns.ColumnLetters(row.ExtraColumn);
            Reject(number, $"column {letters}", string.Create(CultureInfo.InvariantCulture,
                $"value in column {letters}, beyond the {_columns.Count} columns of the header (an unquoted comma or semicolon shifts the cells)"));
        }

        string? name = null, first = null, last = null, email = null, company = null, address = null;
        string? zoneCell = null, countryCell = null;
        Dictionary<string, string>? attributes = null;
        foreach (var column in _columns.Columns)
        {
            var value = row.Cell(column.Index).Trim();
            if (value.Length == 0)
            {
                continue;
            }
            switch (column.Field)
            {
                case ContactField.Name: name = value; break;
                case ContactField.FirstName: first = value; break;
                case ContactField.LastName: last = value; break;
                case ContactField.Email: email = value; break;
                case ContactField.Company: company = value; break;
                case ContactField.Address: address = value; break;
                case ContactField.TimeZone: zoneCell = value; break;
                case ContactField.Country: countryCell = value; break;
                case ContactField.Phone: break;
                default:
                    (attributes ??= new Dictionary<string, string>(StringComparer.Ordinal))[column.Header] = value;
                    break;
            }
        }
        name ??= first is null && last is null ? null : $"{first} {last}".Trim();
        if (name is null && !row.Oversized.Any(o => _columns.Columns[o.Column].Field is ContactField.Name or ContactField.FirstName or ContactField.LastName))
        {
            // An agent must know whom they are calling; a number alone is not a contact.
            Reject(number, "name", "missing name");
        }

        string? country = null;
        if (countryCell is not null)
        {
            country = DialingPlans.FindByName(countryCell)?.Country;
            if (country is null)
            {
                Reject(number, "country", $"unknown country '{countryCell}' (use an ISO code such as GB, DE, US or the English name)");
            }
        }

        ReadPhones(row, country ?? _defaultCountry);

        if (email is not null && EmailAddress.Problem(email) is { } emailProblem)
        {
            Reject(number, "email", $"invalid e-mail '{email}': {emailProblem}");
        }

        string? zone = null;
        if (zoneCell is not null)
        {
            zone = TimeZones.Resolve(zoneCell);
            if (zone is null)
            {
                Reject(number, "timezone", $"unknown time zone '{zoneCell}' (use an IANA id such as Europe/London)");
            }
        }

        country ??= _phones.Count > 0 ? PhoneNumber.CountryOf(_phones[0], _defaultCountry) : null;
        zone ??= DialingPlans.Find(country)?.TimeZone;

        foreach (var phone in _phones)
        {
            if (_rowByPhone.TryGetValue(phone, out var earlier))
            {
                Reject(number, "phone", string.Create(CultureInfo.InvariantCulture, $"duplicate of row {earlier} ({phone})"));
                break;
            }
        }

        if (_rowProblems.Count > 0)
        {
            _rejected.AddRange(_rowProblems);
            RejectedRows++;
            return;
        }

        foreach (var phone in _phones)
        {
            _rowByPhone[phone] = number;
        }
        _contacts.Add(new ContactDraft(
            number,
            name,
            _phones.ToArray(),
            email,
            company,
            address,
            country,
            zone,
            attributes is null ? ReadOnlyDictionary<string, string>.Empty : attributes));
    }

    private void ReadPhones(SheetRow row, string? country)
    {
        var any = false;
        foreach (var column in _columns.Columns)
        {
            if (column.Field != ContactField.Phone)
            {
                continue;
            }
            var cell = row.Cell(column.Index);
            foreach (var part in cell.Split(PhoneSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                any = true;
                if (!TryExpandScientific(part, out var candidate, out var lost))
                {
                    Reject(row.Number, "phone", $"invalid phone '{part}' in column '{Title(column)}': {lost}");
                    continue;
                }
                if (!PhoneNumber.TryNormalize(candidate, country, out var e164, out var reason))
                {
                    Reject(row.Number, "phone", $"invalid phone '{part}' in column '{Title(column)}': {reason}");
                    continue;
                }
                if (!_phones.Contains(e164))
                {
                    _phones.Add(e164);
                }
            }
        }

        if (!any && !row.Oversized.Any(o => _columns.Columns[o.Column].Field == ContactField.Phone))
        {
            Reject(row.Number, "phone", "missing phone");
        }
    }

    /// <summary>
    /// Spreadsheets export long numbers as "4.47700900123E+11". When every digit survived, the number is
    /// restored; when Excel rounded it ("4.477E+11") the digits are gone and guessing would dial a stranger.
    /// </summary>
    internal static bool TryExpandScientific(string text, out string expanded, out string problem)
    {
        expanded = text;
        problem = "";
        var e = text.IndexOfAny(['E', 'e']);
        if (e <= 0 || e == text.Length - 1)
        {
            return true;
        }
        var mantissa = text.AsSpan(0, e);
        var exponentText = text.AsSpan(e + 1).TrimStart('+');
        if (!int.TryParse(exponentText, NumberStyles.None, CultureInfo.InvariantCulture, out var exponent) || exponent > 20)
        {
            return true;
        }
        var dot = mantissa.IndexOf('.');
        var integral = dot < 0 ? mantissa : mantissa[..dot];
        var fraction = dot < 0 ? [] : mantissa[(dot + 1)..];
        if (integral.Length != 1 || !char.IsAsciiDigit(integral[0]) || fraction.ContainsAnyExcept("0123456789"))
        {
            return true;
        }
        var significant = fraction.TrimEnd('0');
        if (significant.Length > exponent)
        {
            problem = $"not a whole number ({text})";
            return false;
        }
        if (significant.Length < exponent)
        {
            problem = $"written in scientific notation ({text}), so its last digits are lost; format the column as text and export again";
            return false;
        }
        expanded = string.Concat(integral, significant);
        return true;
    }

    private void Reject(int row, string field, string reason) => _rowProblems.Add(new RowRejection(row, field, reason));

    private static string Title(ContactColumn column) => column.Header.Length == 0 ? ContactColumns.ColumnLetters(column.Index) : column.Header;
}
