using System.Net;
using DialerCluster.Dialing.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DialerCluster.Host.Tests.Support;

/// <summary>
/// The real host on a hand-moved clock (throttle waits and lockouts pass in an instant), where a request may say which
/// address it comes from (<see cref="AddressHeader"/>): the test server has no sockets, and sign-in throttling is per
/// address. Extra settings override the host's.
/// </summary>
public sealed class SignInFactory : DialerHostFactory
{
    public const string AddressHeader = "X-Test-Remote-Address";

    public ApiClock Clock { get; } = new();

    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Auth:TokenMinutes", "525600");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // The dialer's clock only: Orleans reads the process-wide TimeProvider, and a silo whose clock jumps ahead by
            // minutes is told by its own membership that it is dead.
            services.AddKeyedSingleton<TimeProvider>(DialerClock.Key, Clock);
            services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>();
        });
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return then(context);
            });
            next(app);
        };
    }
}
