using DialerCluster.LoadTests.Hosting;

namespace DialerCluster.LoadTests.Tests.Hosting;

public sealed class HostMetricsTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Memory_and_cpu_are_read_from_prometheus_text_ignoring_comments_and_other_series()
    {
        const string text = """
            # HELP process_working_set_bytes Resident memory (working set) of the process, in bytes.
            # TYPE process_working_set_bytes gauge
            process_working_set_bytes 1.2345e+08
            process_working_set_bytes_total 7
            dotnet_total_memory_bytes 4194304
            dotnet_gc_collections_total{generation="0"} 12
            process_cpu_seconds_total 3.5
            """;

        var sample = HostMetrics.Parse(text, At);

        Assert.Equal(new HostMetricsSample(123_450_000, 4_194_304, 3.5, At), sample);
    }

    [Theory]
    [InlineData("dotnet_total_memory_bytes 1\nprocess_cpu_seconds_total 1")]
    [InlineData("process_working_set_bytes 1\nprocess_cpu_seconds_total 1")]
    [InlineData("process_working_set_bytes oops\ndotnet_total_memory_bytes 1\nprocess_cpu_seconds_total 1")]
    [InlineData("")]
    public void A_scrape_missing_a_series_gives_no_sample_rather_than_a_zero(string text) =>
        Assert.Null(HostMetrics.Parse(text, At));

    [Theory]
    [InlineData("sqlite", "SQLite")]
    [InlineData("postgres", "PostgreSQL")]
    [InlineData(" Both ", "SQLite, PostgreSQL")]
    public void Engines_are_parsed_with_sqlite_first(string text, string expected) =>
        Assert.Equal(expected, string.Join(", ", StorageEngines.Parse(text, "--engine").Select(e => e.Name())));

    [Fact]
    public void An_unknown_engine_is_refused_naming_the_option()
    {
        var error = Assert.Throws<DialerCluster.LoadTests.Model.BadInputException>(() => StorageEngines.Parse("mysql", "--engine"));

        Assert.Equal("--engine", error.Field);
        Assert.Contains("sqlite, postgres, both", error.Message);
    }
}
