namespace DialerCluster.Storage;

/// <summary>The step both dialects share: compare recorded migrations with the embedded ones.</summary>
internal static class AppliedMigrations
{
    /// <returns>The scripts still to apply, in order.</returns>
    public static IReadOnlyList<MigrationScript> Pending(
        StorageDialect dialect,
        IReadOnlyList<MigrationScript> scripts,
        IReadOnlyDictionary<int, string> recordedChecksums)
    {
        foreach (var script in scripts)
        {
            if (recordedChecksums.TryGetValue(script.Version, out var recorded)
                && !string.Equals(recorded, script.Checksum, StringComparison.Ordinal))
            {
                throw new SchemaMismatchException(
                    $"{dialect} migration {script.Version:D4}_{script.Name} was changed after it was applied to this database "
                    + $"(recorded checksum {recorded}, embedded {script.Checksum}). Add a new migration instead of editing an applied one.");
            }
        }

        return scripts.Where(s => !recordedChecksums.ContainsKey(s.Version)).ToList();
    }

    public static string Label(MigrationScript script) => $"{script.Version:D4}_{script.Name}";
}
