using System.Globalization;

namespace DialerCluster.Dialing.Grains;

/// <summary>Grain keys are database ids in decimal, the same form routing uses for agent ids.</summary>
public static class GrainKeys
{
    public static string Of(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static long Parse(string key) => long.Parse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public static long? ParseOrNull(string? key) =>
        key is not null && long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : null;
}
