namespace DialerCluster.Storage;

/// <summary>Brings a database's schema up to the newest embedded migration.</summary>
public interface ISchemaMigrator
{
    StorageDialect Dialect { get; }

    /// <summary>
    /// Applies every migration the database lacks, in one transaction under a database-wide lock, and
    /// records each in schema_version. Running it again, or from two nodes at once, applies nothing twice.
    /// </summary>
    Task<SchemaMigrationResult> MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>What a migration run found and did.</summary>
public sealed record SchemaMigrationResult(int PreviousVersion, int CurrentVersion, IReadOnlyList<string> Applied);

/// <summary>An applied migration's recorded checksum differs from the embedded script: someone edited history.</summary>
public sealed class SchemaMismatchException : Exception
{
    public SchemaMismatchException(string message)
        : base(message)
    {
    }
}
