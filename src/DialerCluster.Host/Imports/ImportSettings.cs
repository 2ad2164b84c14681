using System.Globalization;
using DialerCluster.Dialing.Contacts;

namespace DialerCluster.Host.Imports;

/// <summary>
/// The contact import's limits (<c>Import:*</c>; README, Security, "upload limits"): the reader's own (rows, cell
/// length, inflated sizes) and the host's: the upload's size, how many rejected rows the answer lists, and how long
/// the full list stays downloadable. A bad value stops start-up naming the key.
/// </summary>
internal sealed record ImportSettings
{
    public ContactImportOptions Reader { get; init; } = ContactImportOptions.Default;

    /// <summary>The uploaded file's size at most; a bigger upload is refused with 413 before it is read.</summary>
    public long MaxFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Rejected rows listed in the import's answer; the rest are counted and downloadable as a CSV file.</summary>
    public int RejectedShown { get; init; } = 100;

    /// <summary>How long the full list of rejected rows stays downloadable.</summary>
    public TimeSpan RejectedKept { get; init; } = TimeSpan.FromHours(24);

    public static ImportSettings FromConfiguration(IConfigurationSection section)
    {
        var defaults = new ImportSettings();
        var reader = defaults.Reader;
        ImportSettings settings;
        try
        {
            settings = defaults with
            {
                Reader = reader with
                {
                    MaxRows = section.GetValue(nameof(reader.MaxRows), reader.MaxRows),
                    MaxCellLength = section.GetValue(nameof(reader.MaxCellLength), reader.MaxCellLength),
                    MaxUncompressedBytes = section.GetValue(nameof(reader.MaxUncompressedBytes), reader.MaxUncompressedBytes),
                    MaxSharedStringsBytes = section.GetValue(nameof(reader.MaxSharedStringsBytes), reader.MaxSharedStringsBytes),
                },
                MaxFileBytes = section.GetValue(nameof(MaxFileBytes), defaults.MaxFileBytes),
                RejectedShown = section.GetValue(nameof(RejectedShown), defaults.RejectedShown),
                RejectedKept = section.GetValue<double?>("RejectedKeptHours") is { } hours ? TimeSpan.FromHours(hours) : defaults.RejectedKept,
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new InvalidOperationException($"{section.Path}: {ex.Message}", ex);
        }

        var errors = settings.Reader.Validate().Select(e => $"{section.Path}:{e.Option} {e.Reason}").ToList();
        if (settings.MaxFileBytes is < 1024 or > 4L * 1024 * 1024 * 1024)
        {
            errors.Add($"{section.Path}:{nameof(MaxFileBytes)} must be between 1 KiB and 4 GiB");
        }

        if (settings.RejectedShown is < 0 or > 10_000)
        {
            errors.Add($"{section.Path}:{nameof(RejectedShown)} must be between 0 and 10,000");
        }

        if (settings.RejectedKept <= TimeSpan.Zero || settings.RejectedKept > TimeSpan.FromDays(30))
        {
            errors.Add($"{section.Path}:RejectedKeptHours must be more than 0 and at most 720 (30 days)");
        }

        return errors.Count == 0 ? settings : throw new InvalidOperationException(string.Join("; ", errors));
    }

    public static string Describe(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");
}
