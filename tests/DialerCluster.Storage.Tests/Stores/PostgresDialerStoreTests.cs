using DialerCluster.Testing;

namespace DialerCluster.Storage.Tests;

/// <summary>The store suite on a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDialerStoreTests(PostgresServer server) : DialerStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
