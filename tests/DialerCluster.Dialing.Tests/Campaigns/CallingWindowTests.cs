using DialerCluster.Dialing.Campaigns;

namespace DialerCluster.Dialing.Tests.Campaigns;

public sealed class CallingWindowTests
{
    private static readonly CallingWindow NineToNine = new(new TimeOnly(9, 0), new TimeOnly(21, 0));

    // 2025-03-10 is after the US switch to summer time (9 March) and before the EU one (30 March).
    [Theory]
    [InlineData("2025-03-10T12:00:00Z", "Europe/Berlin", true)] // 13:00
    [InlineData("2025-03-10T12:00:00Z", "America/New_York", false)] // 08:00 EDT
    [InlineData("2025-03-10T13:00:00Z", "America/New_York", true)] // 09:00 EDT, start is inclusive
    [InlineData("2025-03-10T12:00:00Z", "Asia/Tokyo", false)] // 21:00, end is exclusive
    [InlineData("2025-03-10T11:59:59Z", "Asia/Tokyo", true)] // 20:59:59
    [InlineData("2025-03-10T07:59:00Z", "Europe/London", false)] // 07:59 GMT
    [InlineData("2025-07-10T08:00:00Z", "Europe/London", true)] // 09:00 BST
    [InlineData("2025-03-10T03:30:00Z", "Asia/Kolkata", true)] // 09:00 IST, half-hour offset
    [InlineData("2025-03-10T22:00:00Z", "Australia/Sydney", true)] // 09:00 AEDT next day
    public void The_window_is_applied_in_the_contacts_own_zone(string utc, string zoneId, bool open)
    {
        var now = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(open, NineToNine.IsOpen(now, TimeZoneInfo.FindSystemTimeZoneById(zoneId)));
    }

    [Fact]
    public void The_instant_matters_not_the_offset_it_is_written_in()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var utc = new DateTimeOffset(2025, 3, 10, 7, 30, 0, TimeSpan.Zero); // 08:30 in Berlin
        var sameInstantElsewhere = utc.ToOffset(TimeSpan.FromHours(-5));

        Assert.False(NineToNine.IsOpen(utc, zone));
        Assert.False(NineToNine.IsOpen(sameInstantElsewhere, zone));
    }
}
