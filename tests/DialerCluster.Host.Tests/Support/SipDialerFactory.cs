using System.Globalization;
using System.Net;
using DialerCluster.Testing.Sipp;
using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The real host on the real clock with <c>Telephony:Gateway=sip</c>: its SIP user agent on a free loopback port,
/// dialing the trunk <paramref name="trunk"/> (a SIPp carrier in the tests), RTP on free loopback ports.
/// </summary>
public sealed class SipDialerFactory(string trunk, int optionsIntervalSeconds = 0) : DialerHostFactory
{
    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        var (first, last) = FreePorts.TakeRange(IPAddress.Loopback, 20);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Telephony:Gateway", "sip");
        builder.UseSetting("Telephony:Sip:Trunk", trunk);
        builder.UseSetting("Telephony:Sip:Bind", "127.0.0.1:0");
        builder.UseSetting("Telephony:Sip:RtpPorts", string.Create(CultureInfo.InvariantCulture, $"{first}-{last}"));
        builder.UseSetting("Telephony:Sip:MaxCallsPerSecond", "50");

        // SIPp counts an OPTIONS as a call of its scenario: the call-flow tests turn the ping off.
        builder.UseSetting("Telephony:Sip:OptionsIntervalSeconds", optionsIntervalSeconds.ToString(CultureInfo.InvariantCulture));
    }
}
