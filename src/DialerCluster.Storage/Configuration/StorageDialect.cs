namespace DialerCluster.Storage;

/// <summary>The database engine behind the stores.</summary>
public enum StorageDialect
{
    /// <summary>An embedded SQLite file under the data folder: the default, one node only.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: production and clusters.</summary>
    Postgres,
}
