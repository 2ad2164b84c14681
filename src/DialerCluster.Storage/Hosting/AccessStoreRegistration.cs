using System.Data.Common;
using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Storage;

/// <summary>The stores behind sign-in: users, sessions, the audit log and the Data Protection key ring.</summary>
internal static class AccessStoreRegistration
{
    public static void AddAccessStores(IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton<IUserStore>(sp => new UserStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IAuthSessionStore>(sp => new AuthSessionStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IAuditLog>(sp => new AuditLog(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IKeyRingStore>(sp => options.Dialect == StorageDialect.Postgres
            ? new KeyRingStore(() => sp.GetRequiredService<PostgresConnectionFactory>().DataSource.OpenConnection())
            : new KeyRingStore(SqliteOpener(sp.GetRequiredService<SqliteConnectionFactory>())));
    }

    /// <summary>
    /// A plain synchronous SQLite connection to the same file (already in WAL mode: the schema migration opened it
    /// first), as durable as the store's own: a lost key would sign every agent out.
    /// </summary>
    internal static Func<DbConnection> SqliteOpener(SqliteConnectionFactory factory)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = factory.DatabasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        var pragmas = $"PRAGMA busy_timeout = 15000; PRAGMA synchronous = {(factory.Synchronous == SqliteSyncMode.Full ? "FULL" : "NORMAL")};";
        return () =>
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            command.ExecuteNonQuery();
            return connection;
        };
    }
}
