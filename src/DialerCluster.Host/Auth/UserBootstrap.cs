using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth.Users;

namespace DialerCluster.Host.Auth;

/// <summary>
/// On start: the first admin from the environment when no user exists yet (the demo's own users are
/// <see cref="Demo.DemoSetup"/>'s).
/// Runs in StartAsync, after the storage has migrated its schema in the starting phase.
/// </summary>
internal sealed class UserBootstrap(
    UserDirectory users,
    AuthOptions options,
    ILogger<UserBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.CountAsync(cancellationToken) == 0)
        {
            await CreateFirstAdminAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CreateFirstAdminAsync(CancellationToken cancellationToken)
    {
        var password = options.AdminPassword;
        if (string.IsNullOrEmpty(password))
        {
            if (!options.DemoEnabled)
            {
                logger.LogWarning(
                    "Auth: no users exist and DIALER_ADMIN_PASSWORD is not set; set it (at least {Length} characters) and restart to create the first admin '{User}'",
                    AuthOptions.MinPasswordLength,
                    options.AdminUser);
                return;
            }

            password = options.DemoPassword;
        }

        var errors = UserDirectory.Validate(options.AdminUser, password, DialerRoles.Admin, null, out _);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "DIALER_ADMIN_USER / DIALER_ADMIN_PASSWORD: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")));
        }

        try
        {
            await users.CreateAtStartAsync(options.AdminUser, password, DialerRoles.Admin, null, cancellationToken);
            logger.LogInformation("Auth: created the first admin '{User}'", options.AdminUser);
        }
        catch (DuplicateKeyException)
        {
            // Another node starting on the same database created it a moment ago.
            logger.LogInformation("Auth: the first admin '{User}' was created by another node", options.AdminUser);
        }
    }
}
