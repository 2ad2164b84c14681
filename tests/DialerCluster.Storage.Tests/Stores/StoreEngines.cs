using DialerCluster.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DialerCluster.Storage.Tests;

/// <summary>A fresh SQLite file in its own temporary folder, WAL, synchronous=FULL as in production.</summary>
internal sealed class SqliteStoreEngine : IStoreEngine
{
    private readonly string _folder;
    private readonly SqliteConnectionFactory _connections;

    private SqliteStoreEngine(string folder)
    {
        _folder = folder;
        _connections = new SqliteConnectionFactory(Path.Combine(folder, "dialer.db"));
        Dialect = new SqliteDialect(_connections);
    }

    public SqlDialect Dialect { get; }

    public string DatabasePath => _connections.DatabasePath;

    public static async Task<SqliteStoreEngine> CreateAsync()
    {
        var engine = new SqliteStoreEngine(Path.Combine(Path.GetTempPath(), "dialer-stores-" + Guid.NewGuid().ToString("N")[..12]));
        await new SqliteSchemaMigrator(engine._connections).MigrateAsync(CancellationToken.None);
        return engine;
    }

    public ICaseWriteCommitter NewCommitter() => new SqliteCaseWriteCommitter(_connections, Dialect);

    public ValueTask DisposeAsync()
    {
        // Pooled handles keep the file open; close them before deleting it.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Another test's pooled handle may still be closing; the temporary folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A fresh schema on the shared throwaway server, the only entry on the search path: to the unqualified
/// SQL of the stores it is an empty database. A schema costs almost nothing; CREATE DATABASE about a second.
/// </summary>
internal sealed class PostgresStoreEngine : IStoreEngine
{
    private static readonly SemaphoreSlim DatabaseGate = new(1, 1);
    private static string? s_database;
    private static int s_schemas;

    private readonly string _database;
    private readonly string _schema;
    private readonly PostgresConnectionFactory _connections;

    private PostgresStoreEngine(string database, string schema)
    {
        _database = database;
        _schema = schema;
        ConnectionString = new NpgsqlConnectionStringBuilder(database) { SearchPath = schema }.ConnectionString;
        _connections = new PostgresConnectionFactory(ConnectionString);
        Dialect = new PostgresDialect(_connections.DataSource);
    }

    public SqlDialect Dialect { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresStoreEngine> CreateAsync(PostgresServer server)
    {
        var database = await DatabaseAsync(server);
        var schema = $"stores_{Interlocked.Increment(ref s_schemas)}";
        await ExecuteAsync(database, $"CREATE SCHEMA {schema}");
        var engine = new PostgresStoreEngine(database, schema);
        await new PostgresSchemaMigrator(engine._connections.DataSource).MigrateAsync(CancellationToken.None);
        return engine;
    }

    public ICaseWriteCommitter NewCommitter() => new PostgresCaseWriteCommitter(_connections.DataSource, Dialect);

    public async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        await ExecuteAsync(_database, $"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }

    private static async Task<string> DatabaseAsync(PostgresServer server)
    {
        await DatabaseGate.WaitAsync();
        try
        {
            return s_database ??= await server.CreateDatabaseAsync("stores");
        }
        finally
        {
            DatabaseGate.Release();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
