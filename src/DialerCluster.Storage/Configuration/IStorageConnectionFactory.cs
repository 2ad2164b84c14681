using System.Data.Common;

namespace DialerCluster.Storage;

/// <summary>Opens a ready-to-use connection (pragmas applied, pooled underneath) to the configured database.</summary>
public interface IStorageConnectionFactory
{
    StorageDialect Dialect { get; }

    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);
}
