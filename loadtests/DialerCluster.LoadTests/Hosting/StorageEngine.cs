using DialerCluster.LoadTests.Model;

namespace DialerCluster.LoadTests.Hosting;

/// <summary>Where the started host keeps its data: the embedded default (a SQLite file) or a throwaway PostgreSQL server.</summary>
internal enum StorageEngine
{
    Sqlite,
    Postgres,
}

internal static class StorageEngines
{
    /// <summary>"sqlite", "postgres" or "both" (SQLite first: it is the default the goals are judged on).</summary>
    public static IReadOnlyList<StorageEngine> Parse(string? text, string field) => text?.Trim().ToLowerInvariant() switch
    {
        "sqlite" => [StorageEngine.Sqlite],
        "postgres" or "postgresql" => [StorageEngine.Postgres],
        "both" => [StorageEngine.Sqlite, StorageEngine.Postgres],
        _ => throw new BadInputException(field, $"'{text}' is not one of sqlite, postgres, both"),
    };

    public static string Name(this StorageEngine engine) => engine == StorageEngine.Sqlite ? "SQLite" : "PostgreSQL";
}
