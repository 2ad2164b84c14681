namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// The file as a whole cannot be imported (unreadable, wrong format, no phone column, empty, not UTF-8).
/// Nothing was read into contacts: the caller stores nothing.
/// </summary>
public sealed class ContactFileException : Exception
{
    public ContactFileException(string field, string message)
        : base(message) => Field = field;

    public ContactFileException(string field, string message, Exception inner)
        : base(message, inner) => Field = field;

    /// <summary>"file", or the argument at fault such as "defaultCountry".</summary>
    public string Field { get; }
}
