using System.Data.Common;

namespace DialerCluster.Storage;

/// <summary>
/// Hands Orleans's ADO.NET providers connections to the dialer's SQLite file opened like the stores' own:
/// the same busy timeout, synchronous mode and foreign keys, and WAL switched on before the first one.
/// A plain connection string would give Orleans none of these: its writes would meet the group commit's
/// write lock with Microsoft.Data.Sqlite's own retry loop (a 150 ms sleep a time) instead of SQLite's busy
/// handler, and would not follow the synchronous mode the dialer is configured with.
/// </summary>
internal sealed class SqliteSiloDataSource(SqliteConnectionFactory connections) : DbDataSource
{
    public override string ConnectionString => connections.ConnectionString;

    /// <summary>An unopened connection: Orleans only uses it to check the provider type.</summary>
    protected override DbConnection CreateDbConnection() => new Microsoft.Data.Sqlite.SqliteConnection(connections.ConnectionString);

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await connections.OpenAsync(cancellationToken);

    /// <summary>Orleans opens asynchronously; a synchronous open would skip the pragmas, so it is refused.</summary>
    protected override DbConnection OpenDbConnection() =>
        throw new NotSupportedException("Open the dialer's SQLite connections asynchronously.");
}
