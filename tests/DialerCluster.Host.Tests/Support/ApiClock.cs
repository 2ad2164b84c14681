namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The host's clock in API tests: fixed at midday UTC today (inside every European contact's calling window,
/// whatever time the tests run), moved by hand to make callbacks and retries due. Timers still run on real time.
/// </summary>
public sealed class ApiClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(12), TimeSpan.Zero).UtcTicks;

    public DateTimeOffset Now => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
