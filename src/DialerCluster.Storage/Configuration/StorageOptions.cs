using Microsoft.Extensions.Configuration;
using Npgsql;

namespace DialerCluster.Storage;

/// <summary>
/// Where the data lives. By default a SQLite file under a data folder; a PostgreSQL connection string
/// (config key <c>Storage:Postgres</c>, else the environment variable <c>DIALER_POSTGRES</c>) switches to PostgreSQL.
/// </summary>
public sealed record StorageOptions
{
    public const string SectionName = "Storage";
    public const string PostgresKey = "Storage:Postgres";
    public const string PostgresEnvironmentVariable = "DIALER_POSTGRES";

    /// <summary>Folder for the SQLite file, relative to the working directory unless rooted.</summary>
    public string DataFolder { get; init; } = "data";

    public string SqliteFile { get; init; } = "dialer.db";

    public SqliteSyncMode SqliteSynchronous { get; init; } = SqliteSyncMode.Full;

    /// <summary>When set, PostgreSQL is used and the SQLite settings are ignored.</summary>
    public string? PostgresConnectionString { get; init; }

    public StorageDialect Dialect =>
        string.IsNullOrWhiteSpace(PostgresConnectionString) ? StorageDialect.Sqlite : StorageDialect.Postgres;

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataFolder, SqliteFile));

    /// <summary>
    /// Reads <c>Storage:DataFolder</c>, <c>Storage:SqliteFile</c>, <c>Storage:SqliteSynchronous</c> (Full | Normal),
    /// <c>Storage:Postgres</c> and, when that is empty, <c>DIALER_POSTGRES</c> (the host's configuration
    /// includes environment variables), then validates them.
    /// </summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var defaults = new StorageOptions();
        var syncText = section["SqliteSynchronous"];
        var sync = defaults.SqliteSynchronous;
        if (!string.IsNullOrWhiteSpace(syncText) && !Enum.TryParse(syncText, ignoreCase: true, out sync))
        {
            throw new StorageConfigurationException(
                $"{SectionName}:SqliteSynchronous: '{syncText}' is not one of {string.Join(", ", Enum.GetNames<SqliteSyncMode>())}.");
        }

        var postgres = section["Postgres"];
        if (string.IsNullOrWhiteSpace(postgres))
        {
            postgres = configuration[PostgresEnvironmentVariable];
        }

        var options = new StorageOptions
        {
            DataFolder = section["DataFolder"] ?? defaults.DataFolder,
            SqliteFile = section["SqliteFile"] ?? defaults.SqliteFile,
            SqliteSynchronous = sync,
            PostgresConnectionString = string.IsNullOrWhiteSpace(postgres) ? null : postgres,
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="StorageConfigurationException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Dialect == StorageDialect.Postgres)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
            }
            catch (ArgumentException ex)
            {
                // The message names the bad keyword, never the password.
                throw new StorageConfigurationException(
                    $"{PostgresKey} (or {PostgresEnvironmentVariable}): not a valid PostgreSQL connection string: {ex.Message}", ex);
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(DataFolder))
        {
            throw new StorageConfigurationException($"{SectionName}:DataFolder: must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(SqliteFile) || SqliteFile.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new StorageConfigurationException($"{SectionName}:SqliteFile: '{SqliteFile}' is not a plain file name.");
        }
    }

    /// <summary>Where the data is, without secrets: safe for logs.</summary>
    public string Describe()
    {
        if (Dialect == StorageDialect.Sqlite)
        {
            return $"SQLite file {SqlitePath} (synchronous={SqliteSynchronous})";
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
