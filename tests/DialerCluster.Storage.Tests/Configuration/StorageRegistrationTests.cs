using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DialerCluster.Storage.Tests;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dialer-host-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Starting_a_host_migrates_the_schema_before_anything_serves()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("Storage:DataFolder", _folder)]);
        builder.Services.AddDialerStorage(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync();
        var again = await host.Services.MigrateDialerStorageAsync();
        await host.StopAsync();

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
