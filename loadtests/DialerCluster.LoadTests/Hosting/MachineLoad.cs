using System.Globalization;

namespace DialerCluster.LoadTests.Hosting;

/// <summary>
/// The 1/5/15-minute load averages from /proc/loadavg, printed beside every figure: on a shared 2-core machine a
/// busy neighbour (a build) moves the numbers more than most code changes do.
/// </summary>
internal sealed record MachineLoad(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    public static MachineLoad? Read()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 3
                && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var one)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var five)
                && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var fifteen)
                ? new MachineLoad(one, five, fifteen)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string Describe(MachineLoad? load) => load is null
        ? "load average unknown"
        : string.Create(CultureInfo.InvariantCulture, $"load average {load.OneMinute:0.##} / {load.FiveMinutes:0.##} / {load.FifteenMinutes:0.##}");
}
