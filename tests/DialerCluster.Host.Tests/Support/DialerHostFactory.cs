using System.Net.Http.Headers;
using System.Net.Http.Json;
using DialerCluster.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// What every in-process test host shares: the real host on a throwaway SQLite file with a known admin, and
/// bearer-signed-in clients. Subclasses add their clock or carrier settings in <see cref="ConfigureHost"/>.
/// </summary>
public abstract class DialerHostFactory : WebApplicationFactory<Program>
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-pass-for-tests";

    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "dialer-host-tests-" + Guid.NewGuid().ToString("N"));
    private string? _adminToken;

    /// <summary>A client signed in as the admin (bearer token).</summary>
    public async Task<HttpClient> AdminAsync()
    {
        var client = CreateClient();
        _adminToken ??= await TokenAsync(client, AdminUser, AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        return client;
    }

    /// <summary>A client signed in as a user of its own (e.g. an agent user created by the test).</summary>
    public async Task<HttpClient> SignedInAsync(string userName, string password)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, userName, password));
        return client;
    }

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_dataFolder);
        builder.UseSetting("Storage:DataFolder", _dataFolder);
        builder.UseSetting("Storage:SqliteSynchronous", "Normal");
        builder.UseSetting("Storage:Postgres", "");
        builder.UseSetting("DIALER_ADMIN_USER", AdminUser);
        builder.UseSetting("DIALER_ADMIN_PASSWORD", AdminPassword);
        foreach (var (key, value) in LoopbackPorts.SiloSettings())
        {
            builder.UseSetting(key, value);
        }

        ConfigureHost(builder);
    }

    protected abstract void ConfigureHost(IWebHostBuilder builder);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(_dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on some platform: it is in the temp folder, left for the OS to clean.
            }
        }
    }

    private static async Task<string> TokenAsync(HttpClient client, string userName, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return token!.AccessToken;
    }

    private sealed record TokenResponse(string AccessToken);
}
