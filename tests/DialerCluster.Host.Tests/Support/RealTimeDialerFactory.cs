using Microsoft.AspNetCore.Hosting;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The real host on the real clock with the simulated carrier made fast and certain (every call answered by a
/// person after a short ring), on a throwaway SQLite file. The dialing engine's timers, the carrier's ring and talk
/// times and the long poll all run on real time here, which a hand-moved clock cannot drive.
/// </summary>
public sealed class RealTimeDialerFactory : DialerHostFactory
{
    /// <summary>Runs the host's demo (<c>Demo:Enabled</c>): its campaign and simulated agents. Off by default: tests create their own campaigns.</summary>
    public bool Demo { get; init; }

    /// <summary>
    /// The simulated carrier's mean talk time. Long enough that a test sees the call connected before the person
    /// hangs up; short enough that the whole call flow fits in seconds.
    /// </summary>
    public const double TalkSeconds = 6;

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Demo:Enabled", Demo ? "true" : "false");
        builder.UseSetting("Telephony:Simulated:Seed", "7");
        builder.UseSetting("Telephony:Simulated:AnswerRate", "1.0");
        builder.UseSetting("Telephony:Simulated:MachineRate", "0");
        builder.UseSetting("Telephony:Simulated:BusyRate", "0");
        builder.UseSetting("Telephony:Simulated:FailureRate", "0");
        builder.UseSetting("Telephony:Simulated:RingSeconds", "0.5");
        builder.UseSetting("Telephony:Simulated:PostDialSeconds", "0.1");
        builder.UseSetting("Telephony:Simulated:TalkSeconds", TalkSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
