namespace DialerCluster.Storage.Tests;

/// <summary>A fresh, migrated, empty database on one engine and the parts the stores are built from.</summary>
internal interface IStoreEngine : IAsyncDisposable
{
    SqlDialect Dialect { get; }

    /// <summary>A new group-commit writer over the same database (each case store owns one).</summary>
    ICaseWriteCommitter NewCommitter();
}
