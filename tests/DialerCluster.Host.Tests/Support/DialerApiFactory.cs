using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The real host on a throwaway SQLite file, with a hand-moved clock and a known admin password.
/// One per test class: the classes do not share data.
/// </summary>
public sealed class DialerApiFactory : DialerHostFactory
{
    public ApiClock Clock { get; } = new();

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        // Tokens outlive the hand-moved clock: tests jump hours ahead to make callbacks due.
        builder.UseSetting("Auth:TokenMinutes", "525600");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
