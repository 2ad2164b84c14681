using System.Net;
using DialerCluster.Dialing.Telephony;
using DialerCluster.Host.Tests.Support;
using DialerCluster.Telephony.Simulation;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Transport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.DialedLeads;

/// <summary>Telephony:Gateway chooses the carrier; Telephony:Sip:* configures the SIP user agent, checked at start-up.</summary>
public sealed class SipSettingsTests
{
    [Fact]
    public async Task The_simulated_carrier_is_the_default_gateway()
    {
        await using var factory = new DialerApiFactory();

        Assert.IsType<SimulatedCarrier>(factory.Services.GetRequiredService<ITelephonyGateway>());
    }

    [Fact]
    public async Task Sip_settings_from_configuration_reach_the_sip_gateway()
    {
        await using var factory = new DialerApiFactory().WithWebHostBuilder(b => b
            .UseSetting("Telephony:Gateway", "SIP")
            .UseSetting("Telephony:Sip:Trunk", "[::1]:5080")
            .UseSetting("Telephony:Sip:Transport", "tcp")
            .UseSetting("Telephony:Sip:User", "dialer")
            .UseSetting("Telephony:Sip:Password", "secret")
            .UseSetting("Telephony:Sip:Realm", "carrier.example")
            .UseSetting("Telephony:Sip:Bind", "[::1]:0")
            .UseSetting("Telephony:Sip:RtpPorts", "40000-40099")
            .UseSetting("Telephony:Sip:MaxCallsPerSecond", "12.5")
            .UseSetting("Telephony:Sip:OptionsIntervalSeconds", "0"));

        var gateway = Assert.IsType<SipGateway>(factory.Services.GetRequiredService<ITelephonyGateway>());

        var o = gateway.Options;
        Assert.Equal(
            (new SipHostPort("::1", 5080), SipTransportKind.Tcp, "dialer", "secret", "carrier.example", new IPEndPoint(IPAddress.IPv6Loopback, 0), 40000, 40099, 12.5, Timeout.InfiniteTimeSpan),
            (o.Trunk, o.Transport, o.User, o.Password, o.Realm, o.Bind, o.RtpFirstPort, o.RtpLastPort, o.MaxCallsPerSecond, o.OptionsInterval));
    }

    [Theory]
    [InlineData("Telephony:Gateway", "asterisk")]
    [InlineData("Telephony:Sip:Trunk", "")]
    [InlineData("Telephony:Sip:Trunk", "carrier.example:99999")]
    [InlineData("Telephony:Sip:Transport", "sctp")]
    [InlineData("Telephony:Sip:Bind", "everywhere")]
    [InlineData("Telephony:Sip:RtpPorts", "20000")]
    [InlineData("Telephony:Sip:RtpPorts", "30000-20000")]
    [InlineData("Telephony:Sip:MaxCallsPerSecond", "0")]
    [InlineData("Telephony:Sip:MaxCallsPerSecond", "fast")]
    [InlineData("Telephony:Sip:User", "dialer", "Telephony:Sip:Password")]
    [InlineData("Telephony:Sip:OptionsIntervalSeconds", "-5")]
    public async Task A_bad_telephony_setting_stops_the_start_up_naming_the_key(string key, string value, string? named = null)
    {
        await using var factory = new DialerApiFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Telephony:Gateway", "sip").UseSetting("Telephony:Sip:Trunk", "127.0.0.1:5080");
            b.UseSetting(key, value);
        });

        var refused = Assert.ThrowsAny<Exception>(() => factory.Services);

        Assert.Contains(named ?? key, refused.ToString(), StringComparison.Ordinal);
    }
}
