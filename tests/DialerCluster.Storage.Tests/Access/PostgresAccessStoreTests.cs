using DialerCluster.Dialing.Stores;
using DialerCluster.Testing;
using Npgsql;

namespace DialerCluster.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccessStoreTests(PostgresServer server) : AccessStoreTests
{
    internal override IKeyRingStore KeyRing => new KeyRingStore(() =>
    {
        var connection = new NpgsqlConnection(((PostgresStoreEngine)Engine).ConnectionString);
        connection.Open();
        return connection;
    });

    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
