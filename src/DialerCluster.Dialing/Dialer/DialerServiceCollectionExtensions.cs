using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DialerCluster.Dialing.Dialer;

public static class DialerServiceCollectionExtensions
{
    /// <summary>
    /// The dialing engine's node-wide parts: the router of gateway events into campaign grains, the identification
    /// message hook (silent until the SIP gateway brings audio) and the options. An <c>ITelephonyGateway</c> must be
    /// registered too; without one, campaigns only work in preview.
    /// </summary>
    public static IServiceCollection AddDialer(this IServiceCollection services, DialerOptions? options = null)
    {
        services.TryAddSingleton(options ?? new DialerOptions());
        services.TryAddSingleton<IIdentificationMessage, NoIdentificationMessage>();
        services.TryAddSingleton<CallEventRouter>();
        return services;
    }
}
