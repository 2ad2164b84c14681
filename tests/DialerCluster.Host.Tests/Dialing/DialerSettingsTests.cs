using DialerCluster.Dialing.Dialer;
using DialerCluster.Host.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>The dialing engine's node-wide settings come from configuration (<c>Dialer:*</c>), checked at start-up.</summary>
public sealed class DialerSettingsTests
{
    [Fact]
    public async Task Settings_from_configuration_reach_the_dialer()
    {
        await using var factory = new DialerApiFactory().WithWebHostBuilder(b => b
            .UseSetting("Dialer:CallerId", "+4930901820")
            .UseSetting("Dialer:RingTimeoutSeconds", "30")
            .UseSetting("Dialer:PacingIntervalMilliseconds", "200")
            .UseSetting("Dialer:MaxLinesPerAgent", "2.5"));

        var options = factory.Services.GetRequiredService<DialerOptions>();

        Assert.Equal(
            ("+4930901820", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200), 2.5),
            (options.CallerId, options.RingTimeout, options.PacingInterval, options.MaxLinesPerAgent));
    }

    [Theory]
    [InlineData("Dialer:RingTimeoutSeconds", "10")]
    [InlineData("Dialer:CallerId", "not a number")]
    [InlineData("Dialer:PacingIntervalMilliseconds", "5000")]
    [InlineData("Dialer:MaxLinesPerAgent", "0.5")]
    public async Task A_bad_setting_stops_the_start_up_naming_the_key(string key, string value)
    {
        await using var factory = new DialerApiFactory().WithWebHostBuilder(b => b.UseSetting(key, value));

        var refused = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains(key, refused.ToString(), StringComparison.Ordinal);
    }
}
