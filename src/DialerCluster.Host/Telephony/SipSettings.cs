using System.Globalization;
using System.Net;
using DialerCluster.Telephony.Sip;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Host.Telephony;

/// <summary>
/// <c>Telephony:Sip:*</c> read into <see cref="SipOptions"/>: <c>Trunk</c> (host:port, required), <c>Transport</c>
/// (udp | tcp), <c>User</c>, <c>Password</c>, <c>Realm</c>, <c>Bind</c> (address:port, default 0.0.0.0:5060),
/// <c>RtpPorts</c> (first-last, default 20000-20999), <c>MaxCallsPerSecond</c> (default 30), <c>OptionsIntervalSeconds</c>
/// (the trunk ping, default 10, 0 for none). A bad value stops the
/// start-up with the key named, rather than dial through a trunk configured by accident.
/// </summary>
internal static class SipSettings
{
    private const string Section = "Telephony:Sip";

    public static SipOptions Read(IConfigurationSection section)
    {
        if (!SipHostPort.TryParse(section["Trunk"], out var trunk))
        {
            throw Refused("Trunk", $"must be the carrier trunk as host:port (e.g. sip.carrier.example:5060 or [2001:db8::5]:5060), not '{section["Trunk"]}'");
        }

        var defaults = new SipOptions { Trunk = trunk! };
        var (rtpFirst, rtpLast) = section["RtpPorts"] is { Length: > 0 } ports ? RtpPorts(ports) : (defaults.RtpFirstPort, defaults.RtpLastPort);
        var options = defaults with
        {
            Transport = section["Transport"] is { Length: > 0 } transport ? Transport(transport) : defaults.Transport,
            User = Optional(section["User"]),
            Password = Optional(section["Password"]),
            Realm = Optional(section["Realm"]),
            Bind = section["Bind"] is { Length: > 0 } bind ? Bind(bind) : defaults.Bind,
            RtpFirstPort = rtpFirst,
            RtpLastPort = rtpLast,
            MaxCallsPerSecond = section["MaxCallsPerSecond"] is { Length: > 0 } rate ? Number("MaxCallsPerSecond", rate) : defaults.MaxCallsPerSecond,
            OptionsInterval = section["OptionsIntervalSeconds"] is { Length: > 0 } ping ? PingInterval(Number("OptionsIntervalSeconds", ping)) : defaults.OptionsInterval,
        };

        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{Section}:{e.Setting} {e.Reason}")));
        }

        return options;
    }

    private static SipTransportKind Transport(string value) => value.Trim().ToLowerInvariant() switch
    {
        "udp" => SipTransportKind.Udp,
        "tcp" => SipTransportKind.Tcp,
        _ => throw Refused("Transport", $"must be udp or tcp, not '{value}'"),
    };

    private static IPEndPoint Bind(string value)
    {
        if (SipHostPort.TryParse(value, out var bind) && IPAddress.TryParse(bind!.Host, out var address))
        {
            // "0.0.0.0" alone keeps the SIP port; an explicit port (0 is not accepted by the parser) replaces it.
            return new IPEndPoint(address, bind.Port);
        }

        if (value.EndsWith(":0", StringComparison.Ordinal) && IPAddress.TryParse(value[..^2].Trim('[', ']'), out var anyPort))
        {
            return new IPEndPoint(anyPort, 0);
        }

        throw Refused("Bind", $"must be a local address:port such as 0.0.0.0:5060 or [::]:5060, not '{value}'");
    }

    private static (int First, int Last) RtpPorts(string value)
    {
        var parts = value.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            return (first, last);
        }

        throw Refused("RtpPorts", $"must be a range such as 20000-20999, not '{value}'");
    }

    private static double Number(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Refused(key, $"must be a number, not '{value}'");

    private static TimeSpan PingInterval(double seconds) => seconds switch
    {
        0 => Timeout.InfiniteTimeSpan,
        >= 1 and <= 3600 => TimeSpan.FromSeconds(seconds),
        _ => throw Refused("OptionsIntervalSeconds", $"must be 0 (no ping) or between 1 and 3600 seconds, not {seconds}"),
    };

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static InvalidOperationException Refused(string key, string reason) => new($"{Section}:{key} {reason}");
}
