using Microsoft.Data.Sqlite;

namespace DialerCluster.Storage.Tests;

/// <summary>The store suite on SQLite: a fresh file in a temporary folder per test.</summary>
public sealed class SqliteStoreTests : StoreConformanceTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dialer-sqlite-" + Guid.NewGuid().ToString("N")[..12]);
    private int _databases;
    private string _path = "";

    protected override StorageDialect Dialect => StorageDialect.Sqlite;

    protected override IReadOnlyList<string> OrleansTables => ["orleans_grain_state", "orleans_reminder", "orleansquery"];

    protected override IReadOnlyList<string> EngineOnlyQueries => [];

    protected override string NowSql => "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

    protected override string ListTablesSql => "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

    protected override Task CreateDatabaseAsync()
    {
        _path = Path.Combine(_folder, $"dialer-{++_databases}.db");
        return Task.CompletedTask;
    }

    protected override Task DropDatabaseAsync()
    {
        // Pooled handles keep the file open; close them before deleting it.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    protected override (ISchemaMigrator Migrator, IStorageConnectionFactory Connections) CreateNode()
    {
        var connections = new SqliteConnectionFactory(_path);
        return (new SqliteSchemaMigrator(connections), connections);
    }
}
