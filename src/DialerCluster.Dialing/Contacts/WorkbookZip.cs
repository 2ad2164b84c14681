using System.Globalization;
using System.IO.Compression;

namespace DialerCluster.Dialing.Contacts;

/// <summary>
/// An .xlsx's zip directory, checked before the workbook is opened: a zip bomb declares its inflated sizes in the
/// directory, and .NET never inflates an entry past the size it declares, so refusing large declarations bounds what
/// opening and streaming the workbook can cost. The parts this reader streams are also counted as they inflate
/// (<see cref="InflationBudget"/>), so the check does not rest on that alone.
/// </summary>
internal sealed class WorkbookZip
{
    // The package's own bookkeeping ([Content_Types].xml, relationships, workbook.xml) is parsed whole by the Open
    // XML SDK; a real one is a few kilobytes.
    internal const long MaxBookkeepingBytes = 16L * 1024 * 1024;

    private readonly Dictionary<string, long> _declared;

    private WorkbookZip(Dictionary<string, long> declared) => _declared = declared;

    /// <summary>Reads the directory and refuses the file when its entries declare more than the limits allow; the stream is left where it was.</summary>
    public static WorkbookZip Check(Stream stream, ContactImportOptions options)
    {
        var start = stream.Position;
        var declared = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true))
        {
            foreach (var entry in archive.Entries)
            {
                total += entry.Length;
                declared[entry.FullName] = entry.Length;
                if (total > options.MaxUncompressedBytes)
                {
                    throw TooBig(options.MaxUncompressedBytes, nameof(options.MaxUncompressedBytes), "its parts inflate to more than");
                }

                if (IsBookkeeping(entry.FullName) && entry.Length > MaxBookkeepingBytes)
                {
                    throw ContactFileException.Limit(string.Create(CultureInfo.InvariantCulture,
                        $"The .xlsx file's part '{entry.FullName}' inflates to {Mib(entry.Length)}; a workbook's own bookkeeping is a few kilobytes (at most {Mib(MaxBookkeepingBytes)} is read). Open it in Excel and save it again, or export it as CSV UTF-8."));
                }
            }
        }

        stream.Position = start;
        return new WorkbookZip(declared);
    }

    /// <summary>The size the directory declares for a package part (its URI, e.g. "/xl/sharedStrings.xml"); null when not listed.</summary>
    public long? DeclaredSize(Uri partUri)
    {
        var name = Uri.UnescapeDataString(partUri.OriginalString).TrimStart('/');
        return _declared.TryGetValue(name, out var size) ? size : null;
    }

    internal static ContactFileException TooBig(long limit, string option, string what) =>
        ContactFileException.Limit(string.Create(CultureInfo.InvariantCulture,
            $"The .xlsx file is too large: {what} {Mib(limit)}, the limit per import ({ContactImportOptions.Section}:{option}). Split it into smaller files, or export it as CSV UTF-8."));

    internal static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB");

    private static bool IsBookkeeping(string name) =>
        name.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("workbook.xml", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Inflated bytes left for one import; every part this reader streams draws on it as it reads.</summary>
internal sealed class InflationBudget(long limit)
{
    private long _used;

    public long Used => _used;

    public void Draw(int bytes)
    {
        _used += bytes;
        if (_used > limit)
        {
            throw WorkbookZip.TooBig(limit, nameof(ContactImportOptions.MaxUncompressedBytes), "its parts inflate to more than");
        }
    }
}

/// <summary>A part's stream that counts what it inflates: against the import's budget, and against a limit of its own.</summary>
internal sealed class CountingPartStream(Stream inner, InflationBudget budget, long limit, Func<ContactFileException> overLimit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw overLimit();
        }

        budget.Draw(read);
        return read;
    }
}
