using System.Globalization;

namespace DialerCluster.Telephony.DialLog;

/// <summary>
/// One line of a dial log: when a node handed a call to its carrier, the number, the dialer's correlation id (which
/// names the campaign and the dial) and the node. Tab-separated, the time in UTC (ISO 8601), so the logs of every node
/// of a cluster merge into one timeline by sorting.
/// </summary>
public sealed record DialLogEntry(DateTimeOffset At, string Number, string CorrelationId, string Node)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public string ToLine() =>
        string.Create(CultureInfo.InvariantCulture, $"{At.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}\t{Number}\t{CorrelationId}\t{Node}");

    /// <summary>A line as <see cref="ToLine"/> wrote it; null for anything else (a line cut short by a crash, say).</summary>
    public static DialLogEntry? TryParse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split('\t');
        if (fields.Length != 4
            || !DateTime.TryParseExact(fields[0], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            || fields[1].Length == 0 || fields[2].Length == 0 || fields[3].Length == 0)
        {
            return null;
        }

        return new DialLogEntry(new DateTimeOffset(at, TimeSpan.Zero), fields[1], fields[2], fields[3]);
    }

    /// <summary>Every whole line of a dial log file, in file order (readable while the node still writes it).</summary>
    public static IReadOnlyList<DialLogEntry> ReadAll(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var entries = new List<DialLogEntry>();
        while (reader.ReadLine() is { } line)
        {
            if (TryParse(line) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }
}
