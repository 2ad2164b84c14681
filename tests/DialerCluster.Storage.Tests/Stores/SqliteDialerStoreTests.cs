namespace DialerCluster.Storage.Tests;

/// <summary>The store suite on SQLite.</summary>
public sealed class SqliteDialerStoreTests : DialerStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}
