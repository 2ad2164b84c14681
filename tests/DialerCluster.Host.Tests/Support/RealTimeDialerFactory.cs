using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The real host on the real clock with the simulated carrier made fast and certain (every call answered by a
/// person after a short ring), on a throwaway SQLite file. The dialing engine's timers, the carrier's ring and talk
/// times and the long poll all run on real time here, which a hand-moved clock cannot drive.
/// </summary>
public sealed class RealTimeDialerFactory : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-pass-for-tests";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "dialer-realtime-tests-" + Guid.NewGuid().ToString("N"));
    private string? _adminToken;

    /// <summary>Runs the host's demo (<c>Demo:Enabled</c>): its campaign and simulated agents. Off by default: tests create their own campaigns.</summary>
    public bool Demo { get; init; }

    /// <summary>
    /// The simulated carrier's mean talk time. Long enough that a test sees the call connected before the person
    /// hangs up; short enough that the whole call flow fits in seconds.
    /// </summary>
    public const double TalkSeconds = 6;

    public async Task<HttpClient> AdminAsync()
    {
        var client = CreateClient();
        _adminToken ??= await TestHostSupport.TokenAsync(client, AdminUser, AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        return client;
    }

    public async Task<HttpClient> SignedInAsync(string userName, string password)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TestHostSupport.TokenAsync(client, userName, password));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_dataFolder);
        builder.UseSetting("Storage:DataFolder", _dataFolder);
        builder.UseSetting("Storage:SqliteSynchronous", "Normal");
        builder.UseSetting("DIALER_ADMIN_USER", AdminUser);
        builder.UseSetting("DIALER_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("Storage:Postgres", "");
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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            TestHostSupport.DeleteDataFolder(_dataFolder);
        }
    }
}
