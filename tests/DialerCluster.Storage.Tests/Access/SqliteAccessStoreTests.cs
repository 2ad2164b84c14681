using DialerCluster.Dialing.Stores;

namespace DialerCluster.Storage.Tests;

public sealed class SqliteAccessStoreTests : AccessStoreTests
{
    internal override IKeyRingStore KeyRing => new KeyRingStore(AccessStoreRegistration.SqliteOpener(((SqliteDialect)Dialect).Connections));

    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}
