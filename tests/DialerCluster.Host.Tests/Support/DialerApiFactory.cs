using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using DialerCluster.Dialing.Grains;
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
        // The dialer's own clock, not the container's: Orleans and sign-in keep real time.
        builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(DialerClock.Key, Clock));
    }
}
