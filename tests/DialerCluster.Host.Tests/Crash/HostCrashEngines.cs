using DialerCluster.Storage;
using DialerCluster.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace DialerCluster.Host.Tests.Crash;

/// <summary>
/// Crash tests start a host and 50 busy clients each: they run one after the other (one collection), next to
/// the throwaway PostgreSQL server the PostgreSQL one needs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostCrashCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Host crash tests";
}

[Collection(HostCrashCollection.Name)]
public sealed class SqliteHostCrashTests(ITestOutputHelper output) : HostCrashTests(output)
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dialer-crash-").FullName;

    protected override string Engine => "SQLite";

    protected override StorageOptions StorageOptions => new() { DataFolder = _folder };

    protected override Task<IReadOnlyDictionary<string, string>> PrepareDatabaseAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["Storage__DataFolder"] = _folder });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the temporary folder is harmless.
        }
    }
}

[Collection(HostCrashCollection.Name)]
public sealed class PostgresHostCrashTests(PostgresServer server, ITestOutputHelper output) : HostCrashTests(output)
{
    private string _connectionString = "";

    protected override string Engine => "PostgreSQL";

    protected override StorageOptions StorageOptions => new() { PostgresConnectionString = _connectionString };

    protected override async Task<IReadOnlyDictionary<string, string>> PrepareDatabaseAsync()
    {
        _connectionString = await server.CreateDatabaseAsync("crash");
        return new Dictionary<string, string> { [PostgresServer.ConnectionStringVariable] = _connectionString };
    }
}
