using DialerCluster.Dialing.Stores;
using DialerCluster.Host.Auth.Users;

namespace DialerCluster.Host.Auth;

/// <summary>
/// On start: the first admin from the environment when no user exists yet; with the demo on, a supervisor and
/// agents (linked to agent records) whose sign-in is printed to the console.
/// Runs in StartAsync, after the storage has migrated its schema in the starting phase.
/// </summary>
internal sealed class UserBootstrap(
    UserDirectory users,
    AuthOptions options,
    IServiceProvider services,
    ILogger<UserBootstrap> logger) : IHostedService
{
    public static readonly IReadOnlyList<string> DemoAgentNames = ["Alice Novak", "Bruno Costa", "Chen Wei"];

    public const string DemoSupervisor = "supervisor";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await users.CountAsync(cancellationToken) == 0)
        {
            await CreateFirstAdminAsync(cancellationToken);
        }

        if (options.DemoEnabled)
        {
            await CreateDemoUsersAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static UserName Named(string userName) =>
        UserNames.TryParse(userName, out var name, out var reason) ? name : throw new InvalidOperationException($"'{userName}': {reason}");

    private async Task CreateAsync(UserName name, string password, string role, long? agentId, CancellationToken cancellationToken)
    {
        // Nothing else hashes while the node starts: the queue cannot be full.
        _ = await users.CreateAsync(name, password, role, agentId, cancellationToken)
            ?? throw new InvalidOperationException("Auth: the password hashing queue refused a start-up user");
    }

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

        var errors = UserDirectory.Validate(options.AdminUser, password, DialerRoles.Admin, null, out var name);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                "DIALER_ADMIN_USER / DIALER_ADMIN_PASSWORD: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Reason}")));
        }

        await CreateAsync(name, password, DialerRoles.Admin, null, cancellationToken);
        logger.LogInformation("Auth: created the first admin '{User}'", options.AdminUser);
    }

    private async Task CreateDemoUsersAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        if (await users.FindAsync(DemoSupervisor, cancellationToken) is null)
        {
            await CreateAsync(Named(DemoSupervisor), options.DemoPassword, DialerRoles.Supervisor, null, cancellationToken);
        }

        lines.Add($"  supervisor wall : user '{DemoSupervisor}', password '{options.DemoPassword}'");
        var agents = services.GetService<IAgentStore>();
        if (agents is null)
        {
            logger.LogWarning("Auth: no agent store is registered; demo agents are not created");
        }
        else
        {
            var existing = await agents.ListAsync(cancellationToken);
            foreach (var name in DemoAgentNames)
            {
                var userName = name.Split(' ')[0].ToLowerInvariant();
                if (await users.FindAsync(userName, cancellationToken) is null)
                {
                    var agent = existing.FirstOrDefault(a => a.Name == name) ?? await agents.CreateAsync(name, cancellationToken);
                    await CreateAsync(Named(userName), options.DemoPassword, DialerRoles.Agent, agent.Id, cancellationToken);
                }

                lines.Add($"  agent desk      : user '{userName}', password '{options.DemoPassword}' ({name})");
            }
        }

        if (await users.FindAsync(options.AdminUser, cancellationToken) is not null && string.IsNullOrEmpty(options.AdminPassword))
        {
            lines.Add($"  admin           : user '{options.AdminUser}', password '{options.DemoPassword}'");
        }

        // The console, not only the log: whoever started the demo needs these to sign in.
        Console.WriteLine("Demo sign-in (open / in a browser):" + Environment.NewLine + string.Join(Environment.NewLine, lines));
    }
}
