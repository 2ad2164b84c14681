namespace DialerCluster.Storage;

/// <summary>Money as integer micro-units (millionths), exact in both engines and in sums over millions of rows.</summary>
internal static class StoredMoney
{
    private const decimal MicrosPerUnit = 1_000_000m;

    public static long ToMicros(decimal amount) => (long)decimal.Round(amount * MicrosPerUnit, 0, MidpointRounding.AwayFromZero);

    public static decimal FromMicros(long micros) => micros / MicrosPerUnit;
}
