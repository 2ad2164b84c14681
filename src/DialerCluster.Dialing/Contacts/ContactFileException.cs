namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// The file as a whole cannot be imported (unreadable, wrong format, no phone column, empty, not UTF-8, or past a
/// limit of <see cref="ContactImportOptions"/>). Nothing was read into contacts: the caller stores nothing.
/// </summary>
public sealed class ContactFileException : Exception
{
    public ContactFileException(string field, string message)
        : base(message) => Field = field;

    public ContactFileException(string field, string message, Exception inner)
        : base(message, inner) => Field = field;

    /// <summary>"file", or the argument at fault such as "defaultCountry".</summary>
    public string Field { get; }

    /// <summary>The file is readable but too big (bytes, inflated bytes, shared strings or rows): HTTP 413, not 400.</summary>
    public bool IsLimit { get; private init; }

    /// <summary>The file goes past one of the import's limits; <paramref name="message"/> names it and its value.</summary>
    public static ContactFileException Limit(string message) => new("file", message) { IsLimit = true };
}
