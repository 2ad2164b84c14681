using DialerCluster.Testing;

namespace DialerCluster.Storage.Tests;

/// <summary>Set-up leases on every engine: one holder at a time, free again once released or expired.</summary>
public abstract class SetupLeaseStoreTests : StoreSuiteBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_lease_has_one_holder_until_it_is_released_or_expires()
    {
        var leases = new SetupLeaseStore(Dialect);

        Assert.True(await leases.TryAcquireAsync("demo", "node-a", T0, Minute, CancellationToken.None));
        Assert.False(await leases.TryAcquireAsync("demo", "node-b", T0.AddSeconds(30), Minute, CancellationToken.None));
        Assert.False(await leases.TryAcquireAsync("demo", "node-a", T0.AddSeconds(30), Minute, CancellationToken.None));
        Assert.True(await leases.TryAcquireAsync("other", "node-b", T0, Minute, CancellationToken.None));

        await leases.ReleaseAsync("demo", "node-b", CancellationToken.None);
        Assert.False(await leases.TryAcquireAsync("demo", "node-b", T0.AddSeconds(31), Minute, CancellationToken.None));
        await leases.ReleaseAsync("demo", "node-a", CancellationToken.None);
        Assert.True(await leases.TryAcquireAsync("demo", "node-b", T0.AddSeconds(32), Minute, CancellationToken.None));

        // node-b died holding it: once expired, node-c takes it over.
        Assert.True(await leases.TryAcquireAsync("demo", "node-c", T0.AddSeconds(32) + Minute, Minute, CancellationToken.None));
    }

    [Fact]
    public async Task Of_many_nodes_asking_at_once_exactly_one_gets_the_lease()
    {
        var leases = new SetupLeaseStore(Dialect);

        var taken = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => leases.TryAcquireAsync("race", $"node-{i}", T0, Minute, CancellationToken.None))));

        Assert.Equal(1, taken.Count(t => t));
    }
}

public sealed class SqliteSetupLeaseStoreTests : SetupLeaseStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSetupLeaseStoreTests(PostgresServer server) : SetupLeaseStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
