using DialerCluster.Dialing.Audit;
using DialerCluster.Dialing.CallLog;
using DialerCluster.Dialing.Monitoring;
using DialerCluster.Dialing.Reports;
using DialerCluster.Dialing.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the configured engine (see <see cref="StorageOptions.FromConfiguration"/>): its
    /// <see cref="IStorageConnectionFactory"/>, <see cref="ISchemaMigrator"/>, the stores (<see cref="ICampaignStore"/>,
    /// <see cref="IAgentStore"/>, <see cref="IContactStore"/>, <see cref="ICaseStore"/>, <see cref="IDoNotCallStore"/>,
    /// <see cref="ICallStore"/>, <see cref="IImportRejectionStore"/>, <see cref="ISetupLeaseStore"/>, the managers' <see cref="IReportStore"/> and <see cref="ICallLogStore"/>; the users, sessions,
    /// audit log and key ring of <see cref="AccessStoreRegistration"/>) as singletons, and a hosted service that migrates
    /// the schema before the host serves. Bad settings throw here, naming the setting.
    /// </summary>
    public static IServiceCollection AddDialerStorage(this IServiceCollection services, IConfiguration configuration) =>
        services.AddDialerStorage(StorageOptions.FromConfiguration(configuration));

    public static IServiceCollection AddDialerStorage(this IServiceCollection services, StorageOptions options)
    {
        options.Validate();
        services.AddSingleton(options);
        if (options.Dialect == StorageDialect.Postgres)
        {
            services.AddSingleton(_ => new PostgresConnectionFactory(options.PostgresConnectionString!));
            services.AddSingleton<IStorageConnectionFactory>(sp => sp.GetRequiredService<PostgresConnectionFactory>());
            services.AddSingleton<ISchemaMigrator>(sp => new PostgresSchemaMigrator(sp.GetRequiredService<PostgresConnectionFactory>().DataSource));
            services.AddSingleton<SqlDialect>(sp => new PostgresDialect(sp.GetRequiredService<PostgresConnectionFactory>().DataSource));
            services.AddSingleton<ICaseStore>(sp => new CaseStore(
                sp.GetRequiredService<SqlDialect>(), new PostgresCaseWriteCommitter(sp.GetRequiredService<PostgresConnectionFactory>().DataSource, sp.GetRequiredService<SqlDialect>()),
                sp.GetService<DialerMetrics>()));
        }
        else
        {
            services.AddSingleton(_ => new SqliteConnectionFactory(options.SqlitePath, options.SqliteSynchronous));
            services.AddSingleton<IStorageConnectionFactory>(sp => sp.GetRequiredService<SqliteConnectionFactory>());
            services.AddSingleton<ISchemaMigrator>(sp => new SqliteSchemaMigrator(sp.GetRequiredService<SqliteConnectionFactory>()));
            services.AddSingleton<SqlDialect>(sp => new SqliteDialect(sp.GetRequiredService<SqliteConnectionFactory>()));
            services.AddSingleton<ICaseStore>(sp => new CaseStore(
                sp.GetRequiredService<SqlDialect>(), new SqliteCaseWriteCommitter(sp.GetRequiredService<SqliteConnectionFactory>(), sp.GetRequiredService<SqlDialect>()),
                sp.GetService<DialerMetrics>()));
        }

        // The case store (registered per engine above) owns the group-commit writer; the container disposes it,
        // draining queued holds and releases, before the connection factory it was built after.
        services.AddSingleton<ICampaignStore>(sp => new CampaignStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IAgentStore>(sp => new AgentStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IContactStore>(sp => new ContactStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IDoNotCallStore>(sp => new DoNotCallStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<ICallStore>(sp => new CallStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IImportRejectionStore>(sp => new ImportRejectionStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<ISetupLeaseStore>(sp => new SetupLeaseStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<IReportStore>(sp => new ReportStore(sp.GetRequiredService<SqlDialect>()));
        services.AddSingleton<ICallLogStore>(sp => new CallLogStore(sp.GetRequiredService<SqlDialect>()));
        AccessStoreRegistration.AddAccessStores(services, options);

        services.AddHostedService<StorageStartup>();
        return services;
    }

    /// <summary>For hosts and tools that migrate explicitly before serving (the hosted service then finds nothing to do).</summary>
    public static Task<SchemaMigrationResult> MigrateDialerStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<ISchemaMigrator>().MigrateAsync(cancellationToken);
}
