using System.Data.Common;
using Npgsql;

namespace DialerCluster.Storage;

/// <summary>Connections from one pooled <see cref="NpgsqlDataSource"/>; disposing closes the pool.</summary>
public sealed class PostgresConnectionFactory : IStorageConnectionFactory, IAsyncDisposable, IDisposable
{
    public PostgresConnectionFactory(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // The stores run the same few statements all day: server-side prepared statements skip re-planning.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        DataSource = builder.Build();
    }

    public StorageDialect Dialect => StorageDialect.Postgres;

    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    async ValueTask<DbConnection> IStorageConnectionFactory.OpenConnectionAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
