using DialerCluster.Dialing.Stores;
using DialerCluster.Testing;

namespace DialerCluster.Storage.Tests;

/// <summary>The full rejected-row lists of imports, on every engine: read back while kept, gone once expired.</summary>
public abstract class ImportRejectionStoreTests : StoreSuiteBase
{
    [Fact]
    public async Task A_rejected_row_list_reads_back_while_it_is_kept_and_expired_ones_are_deleted_by_the_next_import()
    {
        var store = new ImportRejectionStore(Dialect);
        var csv = "row,field,reason\r\n3,name,missing name\r\n" + new string('x', 100_000);
        var first = new ImportRejections("first", "sam", "leads.xlsx", 2, csv, T0, T0.AddHours(24));
        await store.SaveAsync(first, CancellationToken.None);

        Assert.Equal(first, await store.GetAsync("first", T0.AddHours(23), CancellationToken.None));
        Assert.Null(await store.GetAsync("first", T0.AddHours(25), CancellationToken.None));
        Assert.Null(await store.GetAsync("unknown", T0, CancellationToken.None));

        await store.SaveAsync(first with { ImportId = "second", CreatedAt = T0.AddHours(25), ExpiresAt = T0.AddHours(49) }, CancellationToken.None);

        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM import_rejections"));
        Assert.NotNull(await store.GetAsync("second", T0.AddHours(26), CancellationToken.None));
    }
}

public sealed class SqliteImportRejectionStoreTests : ImportRejectionStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await SqliteStoreEngine.CreateAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresImportRejectionStoreTests(PostgresServer server) : ImportRejectionStoreTests
{
    internal override async Task<IStoreEngine> CreateEngineAsync() => await PostgresStoreEngine.CreateAsync(server);
}
