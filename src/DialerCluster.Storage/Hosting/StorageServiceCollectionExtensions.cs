using DialerCluster.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The service key under which the grain storage is also registered (Orleans's default provider name).</summary>
    public const string GrainStorageKey = "Default";

    /// <summary>
    /// Registers the configured engine (see <see cref="StorageOptions.FromConfiguration"/>): its
    /// <see cref="IStorageConnectionFactory"/>, <see cref="ISchemaMigrator"/> and <see cref="IGrainStorage"/>
    /// (default and keyed <see cref="GrainStorageKey"/>), and a hosted service that migrates the schema
    /// before the host serves. Bad settings throw here, naming the setting.
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
            services.AddSingleton<IGrainStorage>(sp => new PostgresGrainStorage(sp.GetRequiredService<PostgresConnectionFactory>().DataSource));
        }
        else
        {
            services.AddSingleton(_ => new SqliteConnectionFactory(options.SqlitePath, options.SqliteSynchronous));
            services.AddSingleton<IStorageConnectionFactory>(sp => sp.GetRequiredService<SqliteConnectionFactory>());
            services.AddSingleton<ISchemaMigrator>(sp => new SqliteSchemaMigrator(sp.GetRequiredService<SqliteConnectionFactory>()));
            services.AddSingleton<IGrainStorage>(sp => new SqliteGrainStorage(sp.GetRequiredService<SqliteConnectionFactory>()));
        }

        services.AddKeyedSingleton<IGrainStorage>(GrainStorageKey, (sp, _) => sp.GetRequiredService<IGrainStorage>());
        services.AddHostedService<StorageStartup>();
        return services;
    }

    /// <summary>For hosts and tools that migrate explicitly before serving (the hosted service then finds nothing to do).</summary>
    public static Task<SchemaMigrationResult> MigrateDialerStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<ISchemaMigrator>().MigrateAsync(cancellationToken);
}
