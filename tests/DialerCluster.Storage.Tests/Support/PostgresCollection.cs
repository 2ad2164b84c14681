using DialerCluster.Testing;

namespace DialerCluster.Storage.Tests;

/// <summary>One throwaway PostgreSQL server for every test class in the collection; each test makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
