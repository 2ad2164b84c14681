using System.Net;
using DialerCluster.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace DialerCluster.Storage.Tests.Silo;

/// <summary>
/// Orleans's ADO.NET membership table and gateway list on the dialer's PostgreSQL schema, driven directly through
/// Orleans's own provider classes: every membership query, including those a one-silo run never reaches
/// (a stale table version, gateways, clean-up of dead silos, deleting a cluster).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipTableTests(PostgresServer server) : IAsyncLifetime
{
    private const string ClusterId = "members";
    private static readonly DateTime Started = new(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc);

    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync("membership");
        await using var connections = new PostgresConnectionFactory(_database);
        await new PostgresSchemaMigrator(connections.DataSource).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Rows_change_only_from_the_table_version_they_were_read_at()
    {
        var table = await TableAsync();
        var empty = await table.ReadAllAsync();
        var silo = Entry(11111, SiloStatus.Joining);

        var inserted = await table.InsertRowAsync(silo, empty.Version.Next());
        var insertedAgainFromTheOldVersion = await table.InsertRowAsync(Entry(11112, SiloStatus.Joining), empty.Version.Next());
        var afterInsert = await table.ReadRowAsync(silo.SiloAddress);
        var (row, etag) = Assert.Single(afterInsert.Members);
        var readStatus = row.Status;
        row.Status = SiloStatus.Active;
        var updated = await table.UpdateRowAsync(row, etag, afterInsert.Version.Next());
        row.Status = SiloStatus.Dead;
        var updatedAgainFromTheOldVersion = await table.UpdateRowAsync(row, etag, afterInsert.Version.Next());
        var final = await table.ReadAllAsync();

        Assert.Empty(empty.Members);
        Assert.True(inserted);
        Assert.False(insertedAgainFromTheOldVersion);
        Assert.Equal(SiloStatus.Joining, readStatus);
        Assert.True(updated);
        Assert.False(updatedAgainFromTheOldVersion);
        Assert.Equal(empty.Version.Version + 2, final.Version.Version);
        var (stored, _) = Assert.Single(final.Members);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(silo.SiloName, stored.SiloName);
        Assert.Equal(silo.HostName, stored.HostName);
        Assert.Equal(silo.ProxyPort, stored.ProxyPort);
        Assert.Equal(silo.StartTime, stored.StartTime);
    }

    [Fact]
    public async Task A_heartbeat_and_suspicions_are_stored_and_the_heartbeat_leaves_the_table_version_alone()
    {
        var table = await TableAsync();
        var silo = Entry(11111, SiloStatus.Active);
        var voter = Entry(11112, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));
        var before = await table.ReadRowAsync(silo.SiloAddress);
        var (row, etag) = before.Members[0];
        row.AddOrUpdateSuspector(voter.SiloAddress, Started.AddMinutes(2), 5);
        Assert.True(await table.UpdateRowAsync(row, etag, before.Version.Next()));

        row.IAmAliveTime = Started.AddMinutes(3);
        await table.UpdateIAmAliveAsync(row);
        var after = await table.ReadRowAsync(silo.SiloAddress);

        var (stored, _) = Assert.Single(after.Members);
        Assert.Equal(Started.AddMinutes(3), stored.IAmAliveTime);
        var (suspector, when) = Assert.Single(stored.SuspectTimes!);
        Assert.Equal(voter.SiloAddress, suspector);
        Assert.Equal(Started.AddMinutes(2), when);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
    }

    [Fact]
    public async Task Gateways_are_the_active_silos_and_clean_up_forgets_only_silos_long_dead()
    {
        var table = await TableAsync();
        var active = Entry(11111, SiloStatus.Active);
        var dead = Entry(11112, SiloStatus.Dead);
        Assert.True(await table.InsertRowAsync(active, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(dead, (await table.ReadAllAsync()).Version.Next()));
        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            _services,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = "Npgsql", ConnectionString = _database }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = ClusterId, ServiceId = ClusterId }));
        await gateways.InitializeGatewayListProviderAsync();

        var listed = await gateways.GetGatewaysAsync();
        await table.CleanupDefunctSiloEntriesAsync(Started.AddMinutes(-1));
        var afterEarlyCleanup = await table.ReadAllAsync();
        await table.CleanupDefunctSiloEntriesAsync(Started.AddHours(1));
        var afterCleanup = await table.ReadAllAsync();
        await table.DeleteMembershipTableEntriesAsync(ClusterId);

        Assert.Equal([SiloAddress.New(IPAddress.Loopback, active.ProxyPort, active.SiloAddress.Generation).ToGatewayUri()], listed);
        Assert.Equal(2, afterEarlyCleanup.Members.Count);
        Assert.Equal(active.SiloAddress, Assert.Single(afterCleanup.Members).Item1.SiloAddress);
        Assert.Equal(0L, await CountAsync("SELECT (SELECT count(*) FROM orleans_membership) + (SELECT count(*) FROM orleans_membership_version)"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<AdoNetClusteringTable> TableAsync()
    {
        var table = new AdoNetClusteringTable(
            _services,
            Options.Create(new ClusterOptions { ClusterId = ClusterId, ServiceId = ClusterId }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = "Npgsql", ConnectionString = _database }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "dialer-node",
        Status = status,
        ProxyPort = port + 10_000,
        StartTime = Started,
        IAmAliveTime = Started,
    };
}
