using System.Globalization;

namespace DialerCluster.LoadTests.Model;

/// <summary>
/// One phase of a scenario's load. Open model: <see cref="Inject"/> and <see cref="RampingInject"/> start an arrival at
/// a fixed (or linearly changing) rate whatever the target's speed. Closed model: <see cref="KeepConstant"/> keeps N
/// copies looping, so the rate follows the target's speed.
/// </summary>
internal abstract record LoadSimulation(TimeSpan During)
{
    /// <summary><paramref name="rate"/> arrivals per <paramref name="interval"/>, for <paramref name="during"/>.</summary>
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during) =>
        new InjectLoad(CheckRate(rate), CheckPositive(interval, "interval"), CheckPositive(during, "during"));

    /// <summary>Rate rising (or falling) linearly from the previous phase's rate (0 if none) to <paramref name="rate"/>.</summary>
    public static LoadSimulation RampingInject(double rate, TimeSpan interval, TimeSpan during) =>
        new RampingInjectLoad(CheckRate(rate), CheckPositive(interval, "interval"), CheckPositive(during, "during"));

    public static LoadSimulation KeepConstant(int copies, TimeSpan during) =>
        copies is >= 1 and <= 1_000_000
            ? new KeepConstantLoad(copies, CheckPositive(during, "during"))
            : throw new BadInputException("copies", $"{copies} must be between 1 and 1000000");

    /// <summary>"inject:RATE[/INTERVAL]:DURING", "ramp:RATE[/INTERVAL]:DURING" or "keep:COPIES:DURING".</summary>
    public static LoadSimulation Parse(string text, string field)
    {
        var parts = text.Split(':', StringSplitOptions.TrimEntries);
        if (parts.Length != 3)
        {
            throw new BadInputException(field, $"'{text}' must look like inject:200/1s:10s, ramp:500/1s:5s or keep:50:10s");
        }

        var during = DurationText.Parse(parts[2], $"{field} duration");
        try
        {
            return parts[0].ToLowerInvariant() switch
            {
                "inject" => Inject(ParseRate(parts[1], field, out var interval), interval, during),
                "ramp" or "ramping-inject" => RampingInject(ParseRate(parts[1], field, out var interval), interval, during),
                "keep" or "keep-constant" when int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var copies) => KeepConstant(copies, during),
                "keep" or "keep-constant" => throw new BadInputException(field, $"'{parts[1]}' is not a number of copies"),
                _ => throw new BadInputException(field, $"'{parts[0]}' is not a load kind (inject, ramp, keep)"),
            };
        }
        catch (BadInputException e) when (e.Field != field)
        {
            throw new BadInputException(field, $"'{text}': {e.Message}");
        }
    }

    public abstract string Describe();

    private static double ParseRate(string text, string field, out TimeSpan interval)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        interval = slash < 0 ? TimeSpan.FromSeconds(1) : DurationText.Parse(text[(slash + 1)..], $"{field} interval");
        var rateText = slash < 0 ? text : text[..slash];
        return double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            ? rate
            : throw new BadInputException(field, $"'{rateText}' is not a rate");
    }

    private static double CheckRate(double rate) =>
        double.IsFinite(rate) && rate >= 0 ? rate : throw new BadInputException("rate", $"{rate} must be a finite number >= 0");

    private static TimeSpan CheckPositive(TimeSpan value, string field) =>
        value > TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value
            : throw new BadInputException(field, $"{DurationText.Format(value)} must be above 0 and at most a day");

    private protected static string FormatRate(double rate, TimeSpan interval) =>
        $"{rate.ToString("0.###", CultureInfo.InvariantCulture)}/{DurationText.Format(interval)}";
}

internal sealed record InjectLoad(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During)
{
    public double PerSecond => Rate / Interval.TotalSeconds;

    public override string Describe() => $"inject {FormatRate(Rate, Interval)} for {DurationText.Format(During)}";
}

internal sealed record RampingInjectLoad(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During)
{
    public double PerSecond => Rate / Interval.TotalSeconds;

    public override string Describe() => $"ramp to {FormatRate(Rate, Interval)} over {DurationText.Format(During)}";
}

internal sealed record KeepConstantLoad(int Copies, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"keep {Copies} copies for {DurationText.Format(During)}";
}
