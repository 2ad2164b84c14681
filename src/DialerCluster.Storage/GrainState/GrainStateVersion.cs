using System.Globalization;
using DialerCluster.Runtime;

namespace DialerCluster.Storage;

/// <summary>
/// ETags are the row's version number as text. Versions only ever rise for a key (a clear keeps a
/// tombstone row), so an etag handed out before a clear can never match a later record.
/// </summary>
internal static class GrainStateVersion
{
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// An etag this store never issued cannot match anything: it is a conflict, and the runtime's answer
    /// to a conflict (re-read the state) is the right one.
    /// </summary>
    public static long ParseExpected(string expectedETag, string operation, string stateName, GrainId grainId) =>
        long.TryParse(expectedETag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw new InconsistentStateException(
                $"{operation} of state '{stateName}' for grain {grainId}: etag '{expectedETag}' was not issued by this store.",
                storedETag: null,
                currentETag: expectedETag);

    public static InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? storedETag, string? expectedETag) =>
        new(
            $"{operation} of state '{stateName}' for grain {grainId} expected {Describe(expectedETag)} but storage holds {Describe(storedETag)}.",
            storedETag,
            expectedETag);

    public static void Validate(string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        if (string.IsNullOrEmpty(grainId.Type) || grainId.Key is null)
        {
            throw new ArgumentException($"Grain id '{grainId}' needs a type and a key.", nameof(grainId));
        }
    }

    private static string Describe(string? etag) => etag is null ? "no record" : $"version {etag}";
}
