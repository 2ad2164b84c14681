using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The real host on a throwaway SQLite file, with a hand-moved clock and a known admin password.
/// One per test class: the classes do not share data.
/// </summary>
public sealed class DialerApiFactory : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-pass-for-tests";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "dialer-api-tests-" + Guid.NewGuid().ToString("N"));
    private string? _adminToken;

    public ApiClock Clock { get; } = new();

    /// <summary>A client signed in as the admin (bearer token).</summary>
    public async Task<HttpClient> AdminAsync()
    {
        var client = CreateClient();
        _adminToken ??= await TestHostSupport.TokenAsync(client, AdminUser, AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        return client;
    }

    /// <summary>A client signed in as a user of its own (e.g. an agent user created by the test).</summary>
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

        // Tokens outlive the hand-moved clock: tests jump hours ahead to make callbacks due.
        builder.UseSetting("Auth:TokenMinutes", "525600");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
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
