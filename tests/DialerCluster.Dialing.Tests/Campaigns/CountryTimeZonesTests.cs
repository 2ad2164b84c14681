using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Tests.Campaigns;

public sealed class CountryTimeZonesTests
{
    [Theory]
    [InlineData("US", "America/New_York")]
    [InlineData("GB", "Europe/London")]
    [InlineData("DE", "Europe/Berlin")]
    [InlineData("FR", "Europe/Paris")]
    [InlineData("ES", "Europe/Madrid")]
    [InlineData("IT", "Europe/Rome")]
    [InlineData("PL", "Europe/Warsaw")]
    [InlineData("NL", "Europe/Amsterdam")]
    [InlineData("SE", "Europe/Stockholm")]
    [InlineData("IE", "Europe/Dublin")]
    [InlineData("CA", "America/Toronto")]
    [InlineData("AU", "Australia/Sydney")]
    [InlineData("IN", "Asia/Kolkata")]
    [InlineData("BR", "America/Sao_Paulo")]
    [InlineData("MX", "America/Mexico_City")]
    [InlineData("JP", "Asia/Tokyo")]
    [InlineData("ZA", "Africa/Johannesburg")]
    [InlineData("de", "Europe/Berlin")]
    [InlineData(" gb ", "Europe/London")]
    public void A_country_gives_its_default_zone(string country, string zoneId)
    {
        Assert.Equal(zoneId, CountryTimeZones.DefaultZoneId(country));
        Assert.True(CountryTimeZones.TryGetDefaultZone(country, out var zone));
        Assert.Equal(zoneId, zone.Id);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("USA")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_country_has_no_zone(string? country)
    {
        Assert.Null(CountryTimeZones.DefaultZoneId(country));
        Assert.False(CountryTimeZones.TryGetDefaultZone(country, out _));
    }

    [Fact]
    public void Every_zone_in_the_table_resolves_on_this_machine()
    {
        var unresolved = CountryTimeZones.Countries
            .Where(c => !CountryTimeZones.TryGetDefaultZone(c, out _))
            .ToArray();

        Assert.Empty(unresolved);
        Assert.All(CountryTimeZones.Countries, c => Assert.Matches("^[A-Z]{2}$", c));
    }
}
