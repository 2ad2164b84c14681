using DialerCluster.Dialing.Dialer;

namespace DialerCluster.Dialing.Tests.Options;

public sealed class DialerOptionsTests
{
    public static TheoryData<DialerOptions, string> OutOfRange => new()
    {
        { new DialerOptions { PacingInterval = TimeSpan.FromMilliseconds(10) }, nameof(DialerOptions.PacingInterval) },
        { new DialerOptions { PacingInterval = TimeSpan.FromSeconds(3) }, nameof(DialerOptions.PacingInterval) },
        { new DialerOptions { CallerId = "0301234567" }, nameof(DialerOptions.CallerId) },
        { new DialerOptions { CallerId = "+49 30 1234567" }, nameof(DialerOptions.CallerId) },
        { new DialerOptions { CallerId = "" }, nameof(DialerOptions.CallerId) },
        { new DialerOptions { RingTimeout = TimeSpan.FromSeconds(14) }, nameof(DialerOptions.RingTimeout) },
        { new DialerOptions { RingTimeout = TimeSpan.FromMinutes(5) }, nameof(DialerOptions.RingTimeout) },
        { new DialerOptions { MaxLinesPerAgent = 0.5 }, nameof(DialerOptions.MaxLinesPerAgent) },
        { new DialerOptions { MaxLinesPerAgent = double.NaN }, nameof(DialerOptions.MaxLinesPerAgent) },
    };

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(new DialerOptions().Validate());
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_setting_out_of_range_is_named_with_the_reason(DialerOptions options, string setting)
    {
        var error = Assert.Single(options.Validate());

        Assert.Equal(setting, error.Setting);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public void The_fifteen_second_ring_minimum_is_allowed()
    {
        Assert.Empty(new DialerOptions { RingTimeout = TimeSpan.FromSeconds(15), CallerId = "+4930901820" }.Validate());
    }
}
