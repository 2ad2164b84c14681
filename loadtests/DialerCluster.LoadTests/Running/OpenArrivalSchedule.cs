namespace DialerCluster.LoadTests.Running;

/// <summary>
/// When each arrival of an open-model phase is due. The rate goes linearly from <c>startPerSecond</c> to
/// <c>endPerSecond</c> over the phase (equal for inject), so arrivals due by t is C(t) = r0·t + (r1 − r0)·t²/(2D),
/// and arrival k is due at the t where C(t) = k (arrival 0 at t = 0). The scheduler asks "how many are due now" on
/// every tick and records each arrival against its own due time, so a late tick can't shift anyone's latency origin.
/// </summary>
internal sealed class OpenArrivalSchedule
{
    private const double Epsilon = 1e-9;
    private readonly double _start;
    private readonly double _halfSlope;
    private readonly double _duration;

    public OpenArrivalSchedule(double startPerSecond, double endPerSecond, TimeSpan during)
    {
        _start = startPerSecond;
        _duration = during.TotalSeconds;
        _halfSlope = (endPerSecond - startPerSecond) / (2 * _duration);
        StartPerSecond = startPerSecond;
        EndPerSecond = endPerSecond;
        During = during;
        Total = Math.Max(0, (long)Math.Ceiling(Cumulative(_duration) - Epsilon));
    }

    public double StartPerSecond { get; }

    public double EndPerSecond { get; }

    public TimeSpan During { get; }

    /// <summary>Arrivals whose due time is before the end of the phase.</summary>
    public long Total { get; }

    /// <summary>Arrivals due at or before <paramref name="elapsed"/> since the phase started.</summary>
    public long DueBy(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero || Total == 0)
        {
            return 0;
        }

        var t = Math.Min(elapsed.TotalSeconds, _duration);
        return Math.Min(Total, (long)Math.Floor(Cumulative(t) + Epsilon) + 1);
    }

    /// <summary>Due time of arrival <paramref name="index"/> (0-based) since the phase started.</summary>
    public TimeSpan DueAt(long index)
    {
        if (index <= 0)
        {
            return TimeSpan.Zero;
        }

        // The root of halfSlope·t² + start·t − k = 0 written as 2k / (start + √(start² + 4·halfSlope·k)):
        // stable for a flat rate (halfSlope = 0), a ramp from zero (start = 0) and a ramp down (halfSlope < 0).
        var discriminant = Math.Max(0, (_start * _start) + (4 * _halfSlope * index));
        var seconds = 2 * index / (_start + Math.Sqrt(discriminant));
        return TimeSpan.FromSeconds(Math.Min(seconds, _duration));
    }

    private double Cumulative(double t) => (_start * t) + (_halfSlope * t * t);
}
