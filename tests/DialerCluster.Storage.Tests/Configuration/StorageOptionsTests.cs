using Microsoft.Extensions.Configuration;

namespace DialerCluster.Storage.Tests;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Without_settings_storage_is_a_SQLite_file_under_the_data_folder_with_full_sync()
    {
        var options = StorageOptions.FromConfiguration(Configuration());

        Assert.Equal(StorageDialect.Sqlite, options.Dialect);
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "dialer.db")), options.SqlitePath);
        Assert.Equal(SqliteSyncMode.Full, options.SqliteSynchronous);
    }

    [Fact]
    public void A_connection_string_under_Storage_Postgres_switches_to_PostgreSQL()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Storage:Postgres", "Host=127.0.0.1;Database=dialer")));

        Assert.Equal(StorageDialect.Postgres, options.Dialect);
        Assert.Equal("PostgreSQL 127.0.0.1:5432/dialer", options.Describe());
    }

    [Fact]
    public void The_DIALER_POSTGRES_variable_switches_to_PostgreSQL_when_the_config_key_is_empty()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Storage:Postgres", ""), ("DIALER_POSTGRES", "Host=db;Database=x")));

        Assert.Equal(StorageDialect.Postgres, options.Dialect);
        Assert.Equal("Host=db;Database=x", options.PostgresConnectionString);
    }

    [Fact]
    public void The_config_key_wins_over_the_environment_variable()
    {
        var options = StorageOptions.FromConfiguration(Configuration(("Storage:Postgres", "Host=a"), ("DIALER_POSTGRES", "Host=b")));

        Assert.Equal("Host=a", options.PostgresConnectionString);
    }

    [Fact]
    public void Data_folder_file_name_and_sync_mode_are_read_from_the_Storage_section()
    {
        var options = StorageOptions.FromConfiguration(Configuration(
            ("Storage:DataFolder", "/var/lib/dialer"), ("Storage:SqliteFile", "main.db"), ("Storage:SqliteSynchronous", "normal")));

        Assert.Equal(Path.GetFullPath("/var/lib/dialer/main.db"), options.SqlitePath);
        Assert.Equal(SqliteSyncMode.Normal, options.SqliteSynchronous);
    }

    [Theory]
    [InlineData("Storage:SqliteSynchronous", "sometimes", "Storage:SqliteSynchronous")]
    [InlineData("Storage:DataFolder", " ", "Storage:DataFolder")]
    [InlineData("Storage:SqliteFile", "a/b.db", "Storage:SqliteFile")]
    [InlineData("Storage:Postgres", "Hots=x", "Storage:Postgres")]
    public void A_bad_setting_is_refused_naming_the_setting(string key, string value, string named)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageOptions.FromConfiguration(Configuration((key, value))));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_connection_string_is_reported_without_its_password()
    {
        var error = Assert.Throws<StorageConfigurationException>(
            () => StorageOptions.FromConfiguration(Configuration(("Storage:Postgres", "Host=x;Password=s3cret;Bogus=1"))));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
}
