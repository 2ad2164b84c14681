using System.Net;
using DialerCluster.Telephony.Sip.Transport;

namespace DialerCluster.Telephony.Sip;

/// <summary>The SIP user agent toward the carrier trunk (configuration <c>Telephony:Sip:*</c>).</summary>
public sealed record SipOptions
{
    public required SipHostPort Trunk { get; init; }

    public SipTransportKind Transport { get; init; } = SipTransportKind.Udp;

    /// <summary>Digest credentials; without a user, challenges end the call as failed.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>Answer challenges of this realm only; any realm when unset.</summary>
    public string? Realm { get; init; }

    /// <summary>The node's SIP socket: 0.0.0.0:5060 by default, [::]:5060 for dual-stack; port 0 picks a free one.</summary>
    public IPEndPoint Bind { get; init; } = new(IPAddress.Any, SipHostPort.DefaultPort);

    public int RtpFirstPort { get; init; } = 20000;

    public int RtpLastPort { get; init; } = 20999;

    /// <summary>Call attempts per second toward the trunk. 30 is FreeSWITCH's shipped default.</summary>
    public double MaxCallsPerSecond { get; init; } = 30;

    /// <summary>How often the trunk is pinged with OPTIONS, and how long a ping may stay unanswered before it is unreachable.
    /// <see cref="Timeout.InfiniteTimeSpan"/> sends none (a trunk that counts every OPTIONS as a call attempt, like a
    /// SIPp scenario does).</summary>
    public TimeSpan OptionsInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every setting that is out of range, as (setting, reason); empty when all hold.</summary>
    public IReadOnlyList<(string Setting, string Reason)> Validate()
    {
        var errors = new List<(string, string)>();
        if (!Enum.IsDefined(Transport))
        {
            errors.Add((nameof(Transport), "must be udp or tcp"));
        }

        if (string.IsNullOrEmpty(User) != string.IsNullOrEmpty(Password))
        {
            errors.Add((string.IsNullOrEmpty(User) ? nameof(User) : nameof(Password), "User and Password go together: set both or neither"));
        }

        if (RtpFirstPort < 1024 || RtpLastPort > 65535 || RtpLastPort <= RtpFirstPort)
        {
            errors.Add(("RtpPorts", $"must be a range like 20000-20999 within 1024-65535 holding at least one even/odd pair, not {RtpFirstPort}-{RtpLastPort}"));
        }

        if (!(MaxCallsPerSecond > 0 && MaxCallsPerSecond <= 100_000))
        {
            errors.Add((nameof(MaxCallsPerSecond), $"must be more than 0 and at most 100000, not {MaxCallsPerSecond}"));
        }

        if (OptionsInterval < TimeSpan.FromMilliseconds(100) && OptionsInterval != Timeout.InfiniteTimeSpan)
        {
            errors.Add((nameof(OptionsInterval), "must be at least 100 ms"));
        }

        return errors;
    }
}
