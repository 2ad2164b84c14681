using System.Globalization;

namespace DialerCluster.Testing.Sipp;

/// <summary>SIPp's own counters, from the last row of its <c>-trace_stat</c> file (cumulative columns).</summary>
public sealed record SippStatistics(long Created, long Successful, long Failed, long Retransmissions, long UnexpectedMessages, double ElapsedSeconds)
{
    public static readonly SippStatistics None = new(0, 0, 0, 0, 0, 0);

    /// <summary>Reads the header and the last row of a ';'-separated statistics file.</summary>
    public static SippStatistics Parse(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return None;
        }

        var header = lines[0].Split(';');
        var last = lines[^1].Split(';');
        long Column(string name)
        {
            var index = Array.IndexOf(header, name);
            return index >= 0 && index < last.Length && long.TryParse(last[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
        }

        var elapsed = Array.IndexOf(header, "ElapsedTime(C)") is var e and >= 0 && e < last.Length && TimeSpan.TryParse(last[e], CultureInfo.InvariantCulture, out var span)
            ? span.TotalSeconds
            : 0;
        return new SippStatistics(
            Column("TotalCallCreated"), Column("SuccessfulCall(C)"), Column("FailedCall(C)"), Column("Retransmissions(C)"), Column("FailedUnexpectedMessage(C)"), elapsed);
    }
}
