namespace DialerCluster.Dialing.Contacts;

/// <summary>What an import file yields: the contacts to store and every refused row with its reasons.</summary>
public sealed class ContactImportResult
{
    public const string ExistingDuplicateReason = "duplicate of an existing contact";

    public ContactImportResult(IReadOnlyList<ContactDraft> contacts, IReadOnlyList<RowRejection> rejected)
    {
        Contacts = contacts;
        Rejected = rejected;
    }

    /// <summary>Valid contacts in file order.</summary>
    public IReadOnlyList<ContactDraft> Contacts { get; }

    /// <summary>Reasons by row then field order; a row may appear more than once (one entry per problem).</summary>
    public IReadOnlyList<RowRejection> Rejected { get; }

    /// <summary>Number of distinct rows refused.</summary>
    public int RejectedRowCount => Rejected.Select(r => r.Row).Distinct().Count();

    /// <summary>Every phone of every contact, for one batched look-up of existing contacts.</summary>
    public IReadOnlySet<string> Phones => Contacts.SelectMany(c => c.Phones).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Moves contacts with any phone in <paramref name="existingPhones"/> (E.164) to the rejections as
    /// (row, "phone", "duplicate of an existing contact (+…)"). Pure: returns a new result, or this one when nothing matches.
    /// </summary>
    public ContactImportResult ExcludeExisting(IReadOnlySet<string> existingPhones)
    {
        ArgumentNullException.ThrowIfNull(existingPhones);
        if (existingPhones.Count == 0)
        {
            return this;
        }

        var kept = new List<ContactDraft>(Contacts.Count);
        var added = new List<RowRejection>();
        foreach (var contact in Contacts)
        {
            var clash = contact.Phones.FirstOrDefault(existingPhones.Contains);
            if (clash is null)
            {
                kept.Add(contact);
            }
            else
            {
                added.Add(new RowRejection(contact.Row, "phone", $"{ExistingDuplicateReason} ({clash})"));
            }
        }

        if (added.Count == 0)
        {
            return this;
        }

        // Stable by row: the rejections already present keep their field order within a row.
        var rejected = Rejected.Concat(added).OrderBy(r => r.Row).ToArray();
        return new ContactImportResult(kept, rejected);
    }
}
