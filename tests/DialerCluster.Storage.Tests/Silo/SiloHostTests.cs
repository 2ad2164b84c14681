using System.Net;
using System.Net.Sockets;
using DialerCluster.Storage.Tests;
using DialerCluster.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

namespace DialerCluster.Storage.Tests.Silo;

/// <summary>
/// A host wired as the dialer's is (AddDialerStorage, then UseOrleans with UseDialerStorage) started on a
/// database nobody migrated: the silo can only start, and a grain only keep its state, if the storage's
/// hosted service migrated the schema before the silo started.
/// </summary>
internal static class SiloHosts
{
    public const string ClusterId = "dialer";

    public static IHost Build(StorageOptions storage, Action<ISiloBuilder> clustering)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddDialerStorage(storage);
        builder.Services.AddSingleton<ReminderLog>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ClusterId;
            });
            clustering(silo);
            silo.UseDialerStorage(storage);
        });
        return builder.Build();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Writes through a grain, then reads it back through a fresh activation.</summary>
    public static async Task<int> WriteAndReadBackAsync(IHost host)
    {
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ITallyGrain>("host-wiring");
        await grain.AddAsync(3);
        return await grain.CountAsync();
    }
}

public sealed class SqliteSiloHostTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "dialer-silo-host-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task A_host_migrates_a_fresh_SQLite_file_before_its_silo_starts_and_grain_state_is_kept_there()
    {
        var storage = new StorageOptions { DataFolder = _folder };
        using var host = SiloHosts.Build(storage, silo => silo.UseLocalhostClustering(SiloHosts.FreePort(), SiloHosts.FreePort()));

        await host.StartAsync();
        var count = await SiloHosts.WriteAndReadBackAsync(host);
        var defaultProvider = host.Services.GetKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var dialerProvider = host.Services.GetKeyedService<IGrainStorage>(SiloStorageExtensions.GrainStorageName);
        await host.StopAsync();

        Assert.Equal(3, count);
        Assert.IsType<AdoNetGrainStorage>(defaultProvider);
        Assert.IsType<AdoNetGrainStorage>(dialerProvider);
        await using var connection = new SqliteConnection($"Data Source={storage.SqlitePath}");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT count(*) FROM orleans_grain_state WHERE key_text = 'host-wiring' AND payload IS NOT NULL", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Using_the_dialer_storage_in_a_silo_without_registering_it_on_the_host_is_refused_naming_the_call()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        var refused = Assert.Throws<InvalidOperationException>(
            () => builder.UseOrleans(silo => silo.UseDialerStorage(new StorageOptions { DataFolder = _folder })));

        Assert.Contains("AddDialerStorage", refused.Message, StringComparison.Ordinal);
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

[Collection(PostgresCollection.Name)]
public sealed class PostgresSiloHostTests(PostgresServer server)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task A_silo_on_PostgreSQL_is_an_active_member_while_it_runs_and_dead_after_it_stops()
    {
        var storage = new StorageOptions { PostgresConnectionString = await server.CreateDatabaseAsync("members") };
        var siloPort = SiloHosts.FreePort();
        using var host = SiloHosts.Build(storage, silo => silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, SiloHosts.FreePort()));

        await host.StartAsync();
        var whileRunning = await StatusesAsync(storage, siloPort);
        var count = await SiloHosts.WriteAndReadBackAsync(host);
        await host.StopAsync();
        var afterStop = await StatusesAsync(storage, siloPort);

        Assert.Equal([Active], whileRunning);
        Assert.Equal(3, count);
        Assert.Equal([Dead], afterStop);
    }

    private static async Task<List<int>> StatusesAsync(StorageOptions storage, int siloPort)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status FROM orleans_membership WHERE deployment_id = $1 AND address = '127.0.0.1' AND port = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SiloHosts.ClusterId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = siloPort });
        var statuses = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }
}
