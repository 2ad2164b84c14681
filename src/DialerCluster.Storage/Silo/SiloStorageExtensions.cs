using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace DialerCluster.Storage;

/// <summary>The silo's storage on the dialer's own database: grain state, reminders and, on PostgreSQL, membership.</summary>
public static class SiloStorageExtensions
{
    /// <summary>
    /// The grain storage provider's name, for <c>[PersistentState("state", SiloStorageExtensions.GrainStorageName)]</c>.
    /// Orleans's default provider (no name given) is the same storage.
    /// </summary>
    public const string GrainStorageName = "dialer";

    private const string PostgresInvariant = "Npgsql";

    // Orleans 10.1+ maps this invariant to Microsoft.Data.Sqlite, the driver the stores use.
    private const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>
    /// Configures on the engine of <paramref name="options"/>: grain storage (Orleans.Persistence.AdoNet) as
    /// the default provider and as <see cref="GrainStorageName"/>, reminders (Orleans.Reminders.AdoNet) and,
    /// on PostgreSQL, cluster membership (Orleans.Clustering.AdoNet). On SQLite the host chooses localhost
    /// clustering itself. Orleans's connections come from the stores' own connection factory.
    /// <para>
    /// Call <c>AddDialerStorage</c> on the host's services before <c>UseOrleans</c>: its hosted service
    /// migrates the schema, Orleans's tables and queries included, in the host's starting phase, before
    /// the silo starts.
    /// </para>
    /// </summary>
    public static ISiloBuilder UseDialerStorage(this ISiloBuilder silo, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!silo.Services.Any(s => s.ServiceType == typeof(ISchemaMigrator)))
        {
            throw new InvalidOperationException(
                "UseDialerStorage needs the dialer's storage: call services.AddDialerStorage(...) before UseOrleans.");
        }

        var serializer = new JsonGrainStateSerializer();
        if (options.Dialect == StorageDialect.Postgres)
        {
            silo.AddAdoNetGrainStorageAsDefault(o => o.Configure<PostgresConnectionFactory>((s, f) => Postgres(s, f, serializer)));
            silo.AddAdoNetGrainStorage(GrainStorageName, o => o.Configure<PostgresConnectionFactory>((s, f) => Postgres(s, f, serializer)));
            silo.UseAdoNetReminderService(o => o.Configure<PostgresConnectionFactory>((r, f) =>
            {
                r.Invariant = PostgresInvariant;
                r.DataSource = f.DataSource;
            }));
            silo.UseAdoNetClustering(o => o.Configure<PostgresConnectionFactory>((c, f) =>
            {
                c.Invariant = PostgresInvariant;
                c.DataSource = f.DataSource;
            }));
        }
        else
        {
            silo.Services.AddSingleton(sp => new SqliteSiloDataSource(sp.GetRequiredService<SqliteConnectionFactory>()));
            silo.AddAdoNetGrainStorageAsDefault(o => o.Configure<SqliteSiloDataSource>((s, d) => Sqlite(s, d, serializer)));
            silo.AddAdoNetGrainStorage(GrainStorageName, o => o.Configure<SqliteSiloDataSource>((s, d) => Sqlite(s, d, serializer)));
            silo.UseAdoNetReminderService(o => o.Configure<SqliteSiloDataSource>((r, d) =>
            {
                r.Invariant = SqliteInvariant;
                r.DataSource = d;
            }));
        }

        return silo;
    }

    private static void Postgres(AdoNetGrainStorageOptions storage, PostgresConnectionFactory connections, JsonGrainStateSerializer serializer)
    {
        storage.Invariant = PostgresInvariant;
        storage.DataSource = connections.DataSource;
        storage.GrainStorageSerializer = serializer;
    }

    private static void Sqlite(AdoNetGrainStorageOptions storage, SqliteSiloDataSource dataSource, JsonGrainStateSerializer serializer)
    {
        storage.Invariant = SqliteInvariant;
        storage.DataSource = dataSource;
        storage.GrainStorageSerializer = serializer;
    }
}
