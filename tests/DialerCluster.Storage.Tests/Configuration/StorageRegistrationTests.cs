using DialerCluster.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DialerCluster.Storage.Tests;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dialer-host-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Starting_a_host_migrates_the_schema_before_anything_serves_and_the_grain_storage_works()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("Storage:DataFolder", _folder)]);
        builder.Services.AddDialerStorage(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync();
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageServiceCollectionExtensions.GrainStorageKey);
        var etag = await storage.WriteAsync("state", new GrainId("Case", "1"), new byte[] { 1, 2, 3 }, null, CancellationToken.None);
        var again = await host.Services.MigrateDialerStorageAsync();
        await host.StopAsync();

        Assert.Same(host.Services.GetRequiredService<IGrainStorage>(), storage);
        Assert.Equal("1", etag);
        Assert.Empty(again.Applied);
        Assert.True(File.Exists(Path.Combine(_folder, "dialer.db")));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
