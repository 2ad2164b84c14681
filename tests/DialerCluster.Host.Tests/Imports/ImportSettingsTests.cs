using DialerCluster.Dialing.Contacts;
using DialerCluster.Host.Imports;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Imports;

/// <summary>The import's limits come from configuration (<c>Import:*</c>), with documented defaults, checked at start-up.</summary>
public sealed class ImportSettingsTests
{
    [Fact]
    public async Task Limits_from_configuration_reach_the_import_and_the_rest_keep_their_defaults()
    {
        await using var factory = new DialerApiFactory().WithWebHostBuilder(b => b
            .UseSetting("Import:MaxRows", "1000")
            .UseSetting("Import:MaxFileBytes", "1048576")
            .UseSetting("Import:RejectedKeptHours", "2"));

        var settings = factory.Services.GetRequiredService<ImportSettings>();

        Assert.Equal((1000, 1024 * 1024L, TimeSpan.FromHours(2)), (settings.Reader.MaxRows, settings.MaxFileBytes, settings.RejectedKept));
        Assert.Equal(ContactImportOptions.Default.MaxUncompressedBytes, settings.Reader.MaxUncompressedBytes);
        Assert.Equal(100, settings.RejectedShown);
    }

    [Theory]
    [InlineData("Import:MaxRows", "0")]
    [InlineData("Import:MaxCellLength", "many")]
    [InlineData("Import:MaxUncompressedBytes", "100")]
    [InlineData("Import:MaxSharedStringsBytes", "999999999999")]
    [InlineData("Import:MaxFileBytes", "-1")]
    [InlineData("Import:RejectedShown", "1000000")]
    [InlineData("Import:RejectedKeptHours", "0")]
    public async Task A_bad_limit_stops_the_start_up_naming_the_key(string key, string value)
    {
        await using var factory = new DialerApiFactory().WithWebHostBuilder(b => b.UseSetting(key, value));

        var refused = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains(key, refused.ToString(), StringComparison.Ordinal);
    }
}
