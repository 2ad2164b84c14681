using System.Data.Common;
using DialerCluster.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace DialerCluster.Storage.Tests.Silo;

/// <summary>
/// A fresh database on one engine and a one-silo Orleans test cluster on it, shared by a test class. The
/// silo's host registers the dialer's storage (which migrates the empty database as the host starts) and
/// the silo uses <see cref="SiloStorageExtensions.UseDialerStorage"/>, as the dialer's host does.
/// More clusters over the same database stand for a restart or for a second silo.
/// </summary>
public abstract class SiloStorageFixture : IAsyncLifetime
{
    /// <summary>Grain state and reminders are kept per service id: every cluster here shares one, as a redeployed dialer does.</summary>
    public const string ServiceId = "dialer-storage-tests";

    private ServiceProvider? _stores;
    private InProcessTestCluster? _cluster;
    private StorageOptions? _storage;

    public StorageOptions Storage => _storage ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>The cluster the class shares.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _storage = await CreateDatabaseAsync();
        _stores = new ServiceCollection().AddDialerStorage(Storage).BuildServiceProvider();
        _cluster = await StartClusterAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    /// <summary>Another one-silo cluster over the same database and service id (a restart, or a second silo).</summary>
    public Task<InProcessTestCluster> StartClusterAsync() => StartClusterAsync(Storage);

    /// <summary>A one-silo test cluster on <paramref name="storage"/>, wired as the dialer's host wires its silo.</summary>
    public static async Task<InProcessTestCluster> StartClusterAsync(StorageOptions storage)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = ServiceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddDialerStorage(storage);
            host.Services.AddSingleton<ReminderLog>();
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseDialerStorage(storage);
            // Orleans refuses reminder periods under a minute by default; the restart test waits for a tick.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection of the tests' own to the same database, for looking at and changing rows underneath the silo.</summary>
    public ValueTask<DbConnection> OpenAsync() =>
        (_stores ?? throw new InvalidOperationException("Not initialised.")).GetRequiredService<IStorageConnectionFactory>().OpenConnectionAsync(CancellationToken.None);

    protected abstract Task<StorageOptions> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();
}

public sealed class SqliteSiloFixture : SiloStorageFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dialer-silo-" + Guid.NewGuid().ToString("N")[..12]);

    protected override Task<StorageOptions> CreateDatabaseAsync() => Task.FromResult(new StorageOptions { DataFolder = _folder });

    protected override Task DropDatabaseAsync()
    {
        // Pooled handles keep the file open; close them before deleting it.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A throwaway PostgreSQL server of the fixture's own: xunit class fixtures cannot share the collection's.</summary>
public sealed class PostgresSiloFixture : SiloStorageFixture
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("Not initialised.");

    protected override async Task<StorageOptions> CreateDatabaseAsync()
    {
        _server = await PostgresServer.StartAsync();
        return new StorageOptions { PostgresConnectionString = await _server.CreateDatabaseAsync("silo") };
    }

    protected override async Task DropDatabaseAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
