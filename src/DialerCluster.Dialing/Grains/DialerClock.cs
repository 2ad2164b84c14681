namespace DialerCluster.Dialing.Grains;

/// <summary>
/// The dialer's clock: calling windows, callbacks, retries, holds and pacing read it. It is a keyed
/// <see cref="TimeProvider"/> of its own because Orleans runs membership, messaging and its timers on the container's
/// unkeyed one: tests move the dialer's clock by hand without stopping Orleans's.
/// </summary>
public static class DialerClock
{
    public const string Key = "DialerCluster.DialerClock";
}
