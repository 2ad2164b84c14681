using DialerCluster.Testing;
using Npgsql;

namespace DialerCluster.Storage.Tests;

/// <summary>
/// The store suite on a real PostgreSQL server. Each test gets a fresh, empty schema as the only entry on
/// its search path, which the unqualified schema sees as an empty database; CREATE DATABASE with fsync on
/// costs about a second here, a schema almost nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : StoreConformanceTests
{
    private static readonly SemaphoreSlim DatabaseGate = new(1, 1);
    private static string? s_database;
    private static int s_schemas;

    private string _schema = "";
    private string _connectionString = "";

    protected override StorageDialect Dialect => StorageDialect.Postgres;

    protected override IReadOnlyList<string> OrleansTables =>
        ["orleans_grain_state", "orleans_membership", "orleans_membership_version", "orleans_reminder", "orleansquery"];

    protected override IReadOnlyList<string> EngineOnlyQueries => MembershipQueries;

    protected override string NowSql => "now()";

    protected override string ListTablesSql =>
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";

    protected override async Task CreateDatabaseAsync()
    {
        var database = await DatabaseAsync();
        _schema = $"store_{Interlocked.Increment(ref s_schemas)}";
        await ExecuteAsync(database, $"CREATE SCHEMA {_schema}");
        _connectionString = new NpgsqlConnectionStringBuilder(database) { SearchPath = _schema }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync() =>
        await ExecuteAsync(await DatabaseAsync(), $"DROP SCHEMA IF EXISTS {_schema} CASCADE");

    protected override (ISchemaMigrator Migrator, IStorageConnectionFactory Connections) CreateNode()
    {
        var connections = new PostgresConnectionFactory(_connectionString);
        Track(connections);
        return (new PostgresSchemaMigrator(connections.DataSource), connections);
    }

    private async Task<string> DatabaseAsync()
    {
        await DatabaseGate.WaitAsync();
        try
        {
            return s_database ??= await server.CreateDatabaseAsync("store");
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
